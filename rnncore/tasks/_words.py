"""Shared plumbing of the word-level tasks (agreement, names, Teddy, sentiment).

Option checking in the style of :mod:`rnncore.config`, tokenizing what a user
typed, padding ragged sentences into a :class:`~rnncore.data.Batch`, and
predicting in chunks for evaluation.
"""
from __future__ import annotations

import re

import numpy as np

from ..config import ConfigError
from ..data import Batch
from ..inputs import InputError, Reading, replace_unknown

PAD = "<pad>"   # id 0 in every word task: padded steps (masked, never read)

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


def words(text: str) -> list[str]:
    """The words of ``text`` as typed (case kept; punctuation dropped)."""
    if not isinstance(text, str):
        raise InputError(f"text must be a string, got {type(text).__name__}")
    found = _WORD.findall(text)
    if not found:
        raise InputError(f"text must contain at least one word, got {text!r}")
    return found


def skipped(text: str) -> tuple[str, ...]:
    """What :func:`words` leaves out of ``text`` (punctuation, digits, symbols), piece by piece."""
    return tuple(_WORD.sub(" ", text).split())


def read_words(text: str, vocab, encode_words, answer_known=None) -> Reading:
    """The sentence box's reading of a word task: lowercased words, each one the vocabulary
    lacks read as <pad> in place (these tasks have no <unk>: one would change every model's
    embedding and so its training), then ``encode_words(words, text)`` → Batch.
    ``answer_known(words, unknown)``: does the task's rule give this text a true target?"""
    low, unknown = replace_unknown(vocab, [w.lower() for w in words(text)], PAD)
    known = True if answer_known is None else bool(answer_known(low, unknown))
    return Reading(encode_words(low, text), unknown, PAD, skipped(text), known)


def parse_range(name: str, value, lo: int, hi: int) -> tuple[int, int]:
    """'4-12', '7', 7, (4, 12) or [4, 12] → (4, 12), checked against [lo, hi]."""
    bad = ConfigError(f"{name} must be a range like '4-12' or (4, 12) with {lo} <= first <= last <= {hi}, got {value!r}")
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", value)
        if not m:
            raise bad
        a, b = int(m.group(1)), int(m.group(2) or m.group(1))
    elif isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        a = b = int(value)
    elif isinstance(value, (tuple, list)) and len(value) == 2 and all(
            isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value):
        a, b = int(value[0]), int(value[1])
    else:
        raise bad
    if not lo <= a <= b <= hi:
        raise bad
    return a, b


def check_choice(name: str, value, allowed) -> str:
    if value not in allowed:
        raise ConfigError(f"{name} must be one of {', '.join(map(str, allowed))}; got {value!r}")
    return value


def check_int(name: str, value, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not lo <= value <= hi:
        raise ConfigError(f"{name} must be an integer in [{lo}, {hi}], got {value!r}")
    return int(value)


def check_prob(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        raise ConfigError(f"{name} must be a number in [0, 1], got {value!r}")
    return float(value)


def pad(rows: list[np.ndarray], fill=0, dtype=np.intp) -> tuple[np.ndarray, np.ndarray]:
    """Ragged rows → (array (N, T_max), lengths (N,)), padded with ``fill``."""
    lengths = np.array([len(r) for r in rows], np.intp)
    out = np.full((len(rows), int(lengths.max())), fill, dtype)
    for i, r in enumerate(rows):
        out[i, :len(r)] = r
    return out, lengths


def tagged_batch(vocab, sentences: list[list[str]], tags: list[list[int]]) -> Batch:
    """Per-token 0/1 targets (many-to-many, sigmoid, output_size 1)."""
    x, lengths = pad([vocab.encode(s) for s in sentences])
    y, _ = pad([np.asarray(t, float) for t in tags], 0.0, float)
    return Batch(x, y, lengths)


def predict(model, x, lengths, chunk: int = 512) -> np.ndarray:
    """model.predict over many rows, a chunk at a time (keeps memory small)."""
    out = []
    for i in range(0, len(x), chunk):
        xs, ls = x[i:i + chunk], lengths[i:i + chunk]
        T = int(ls.max())
        out.append(model.predict(xs[:, :T], ls))
    if model.config.shape == "many-to-many" and len(out) > 1:   # per-step outputs: pad chunks to one T
        T = max(o.shape[1] for o in out)
        out = [np.concatenate([o, np.zeros((o.shape[0], T - o.shape[1], *o.shape[2:]), o.dtype)], axis=1)
               for o in out]
    return np.concatenate(out)


def accuracy(hits) -> float:
    hits = np.asarray(hits)
    return float(hits.mean()) if hits.size else float("nan")


def draw_unseen(draw_one, held: set, n: int, key=tuple) -> list:
    """n items from ``draw_one()`` whose ``key`` is not in ``held`` (a held-out split's items are
    refused when training draws them, so that held-out means unseen)."""
    out = []
    while len(out) < n:
        item = draw_one()
        if key(item) not in held:
            out.append(item)
    return out


def overlap(test_keys, train_keys) -> int:
    """How many test items also occur among the training items."""
    seen = set(train_keys)
    return sum(k in seen for k in test_keys)
