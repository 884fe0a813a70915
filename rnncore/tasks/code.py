"""Raw characters of Python source: char-rnn with truncated BPTT, and the cells
that track strings, brackets and indentation (Karpathy, Johnson & Fei-Fei 2015).

Every character is kept (nothing lower-cased or dropped); the vocabulary is the
training text's ``MAX_VOCAB`` - 1 most frequent characters plus ``<unk>`` for
the rest. The loss is the mean over characters (bits per character = loss / ln 2).

**The corpus.** By default Python's own standard library, read at run time from
the interpreter that runs this (``sysconfig.get_paths()["stdlib"]``), never
bundled. The rule: every ``*.py`` file directly in that folder (no packages),
sorted by name; file k (0-based) is held out when k % 10 == 9 and is never
trained on. Option ``corpus`` names the user's own file or folder instead (a
folder: its ``*.py`` files, recursively, sorted by path, hidden folders skipped,
the same every-10th rule when it has ≥ 10 files; fewer files, or one file: the
last 10 % of the text, from a line start, is held out). At most ``MAX_BYTES``
of text are read.

**Truncated BPTT** (as char-rnn): the training text is cut into ``batch_size``
contiguous streams, one per batch row; each step trains on the next
``seq_len`` characters of every stream, starting from the final a<t> (and c<t>)
of the previous chunk; the state is not differentiated across chunks (BPTT
stops at the chunk's start). Each pass over the text takes the training files
in an order drawn from the run's generator (a new order each pass), so seeds
differ in the data's order as in their first weights; at the end of the
streams the next pass starts from a zero state. The position in the streams
and the carried state are not saved in run files: a resumed run starts a new
pass (so it is not bit for bit the uninterrupted run, unlike the other tasks).

**Evaluation** reads each held-out file from its start (a<0> = 0), at most
``EVAL_CHARS`` characters of each: bits per character against unigram and
bigram baselines, and for each signal of ``code_signals`` the unit of tanh(c<t>)
and of a<t> with the largest |r| (Pearson; bracket depth at characters of code,
as ``code_signals`` says why), for the trained model and for an untrained one of
the same size built from the run's seed (``Task.run_seed``): the run's own first weights.
"""
from __future__ import annotations

import math
import os
import sysconfig
from collections import Counter

import numpy as np

from .. import generate as gen
from ..config import ConfigError
from ..data import Batch
from ..functional import log_softmax
from ..trace import build_trace
from .base import Task, register
from .code_signals import SIGNALS, UnitCorrelation, signals
from .userdata import DataFileError, read_text

UNK = "<unk>"
MAX_VOCAB = 100                 # characters kept (with <unk>); the standard library uses ~100 often
MAX_BYTES = 10 * 2**20          # text read at most (the first files, in order)
MAX_FILES = 5000
EVAL_CHARS = 20_000             # per held-out file, from its start
EVAL_CHUNK = 500                # steps per forward pass during evaluation (memory, not results)
PROMPT = "def "
DISPLAY_CHARS = 400
VISIBLE = {"\n": "⏎", "\t": "⇥", " ": "␣"}    # whitespace as the sequence strip shows it


def stdlib_dir() -> str:
    return sysconfig.get_paths()["stdlib"]


def _python_files(folder):
    """The folder's *.py files in a fixed order (lazily: a huge tree is never listed whole)."""
    if os.path.samefile(folder, stdlib_dir()):
        yield from sorted(os.path.join(folder, f) for f in os.listdir(folder)
                          if f.endswith(".py") and os.path.isfile(os.path.join(folder, f)))
        return
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        yield from (os.path.join(root, f) for f in sorted(files) if f.endswith(".py"))


def load_code(path=None) -> tuple[list[str], list[str]]:
    """→ (training texts, held-out texts) by the rule in the module's docstring."""
    path = stdlib_dir() if path is None else os.fspath(path)
    if not os.path.isdir(path):
        texts = ["\n".join(read_text(path)) + "\n"]
    else:
        texts, total, seen = [], 0, 0
        for f in _python_files(path):
            seen += 1
            try:
                t = "\n".join(read_text(f)) + "\n"
            except DataFileError:
                continue              # one unreadable file of a folder is skipped, not fatal
            texts.append(t)
            total += len(t)
            if total >= MAX_BYTES or len(texts) >= MAX_FILES:
                break
        if not texts:
            raise DataFileError(path, "folder has no readable *.py files" if seen else "folder has no *.py files")
    if len(texts) >= 10:
        return ([t for k, t in enumerate(texts) if k % 10 != 9],
                [t for k, t in enumerate(texts) if k % 10 == 9])
    whole = "".join(texts)
    cut = whole.rfind("\n", 0, int(0.9 * len(whole))) + 1
    if cut <= 0 or cut >= len(whole) - 1:
        raise DataFileError(path, "too little text to hold a tenth out for testing")
    return [whole[:cut]], [whole[cut:]]


@register
class CodeTask(Task):
    name = "code"
    title = "Python source, raw characters"
    lesson = ("A character model reading raw Python source grows cells that track being inside a string, "
              "the bracket depth and the indentation.")
    shape = "many-to-many"
    defaults = {"corpus": None,       # your own .py file or folder; None: this Python's standard library
                "seq_len": 400}       # characters per chunk of truncated BPTT
    model_defaults = {"cell": "lstm", "hidden_size": 128, "dtype": "float32", "loss_reduction": "mean"}
    # 8 streams × 400 characters: chosen on validation files (bench/code_tune.py, README "Raw
    # text"); against 16 × 100 at the same CPU time, cleaner depth and string-or-comment units
    train_defaults = {"optimizer": "adam", "lr": 0.005, "batch_size": 8, "clip": "norm", "clip_threshold": 5.0}
    default_steps = 8000              # 26 M characters, ~280 s of one core (bench/code_cells.py)
    # Every target of issue 13 is met on 4 seeds of 0..8 (string-or-comment |r| ≥ 0.8 on 1 of seeds
    # 0..2); no larger, deeper or longer model measured (up to 4x) does better on both splits (README).
    raw_text = True                   # typed lines are read as they are (indentation kept)

    def __init__(self, **options):
        super().__init__(**options)
        T = self.options["seq_len"]
        if isinstance(T, bool) or not isinstance(T, int) or not 1 <= T <= 10_000:
            raise ConfigError(f"seq_len must be an integer in 1..10000, got {T!r}")
        self.seq_len = T
        path = self.options["corpus"]
        if path is not None and not isinstance(path, (str, os.PathLike)):
            raise ConfigError(f"corpus must be the path of a file or folder, got {path!r}")
        train, self.heldout = load_code(path)
        seen = set(train)
        self.overlap = sum(t in seen for t in self.heldout)    # held-out files identical to a training file
        text = "".join(train)
        counts = Counter(text)
        keep = sorted(ch for ch, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_VOCAB - 1])
        self.chars = [UNK] + keep
        self.index = {ch: i for i, ch in enumerate(self.chars)}
        self.train_on(train)
        if len(self.train_ids) < 2:
            raise DataFileError(path or stdlib_dir(), "too little text to train on")
        self._signals = self._baselines = None      # of the held-out files, computed once

    def train_on(self, texts: list[str]) -> None:
        """Train on these texts (files), read with this task's vocabulary; the streams start over."""
        self._files = [self.ids(t) for t in texts]
        self.train_ids = np.concatenate(self._files) if self._files else np.zeros(0, np.intp)   # in the given order
        self._streams = None
        self._pos, self._state = 0, (None, None)

    # -- characters -----------------------------------------------------------------
    def ids(self, text: str) -> np.ndarray:
        """Characters → ids; any character the vocabulary lacks is <unk> (0)."""
        lut = np.zeros(0x110000, np.int32) if len(text) > 5000 else None
        if lut is None:
            return np.array([self.index.get(ch, 0) for ch in text], np.intp)
        for ch, i in self.index.items():
            if ch != UNK:
                lut[ord(ch)] = i
        return lut[np.frombuffer(text.encode("utf-32-le"), np.uint32)].astype(np.intp)

    def text(self, ids) -> str:
        return "".join("\ufffd" if int(i) == 0 else self.chars[int(i)] for i in ids)

    def io_config(self) -> dict:
        V = len(self.chars)
        return {"vocab_size": V, "input_size": 0, "shape": "many-to-many", "output": "softmax",
                "output_size": V, "target_length": 0, "bidirectional": False}

    # -- truncated BPTT over contiguous streams -------------------------------------------
    def batch(self, rng: np.random.Generator, size: int) -> Batch:
        """The next ``seq_len`` characters of each of ``size`` streams, with the state
        ``keep_state`` received after the previous chunk as h0 / c0."""
        T = self.seq_len
        L = (len(self.train_ids) - 1) // size
        if L < T:
            raise ConfigError(f"the corpus gives {L} characters per stream for batch_size {size}; "
                              f"seq_len {T} needs fewer streams or a shorter seq_len")
        if self._streams is None or len(self._streams) != size or self._pos + T >= self._streams.shape[1]:
            # a new pass over the text, from a zero state: the files in an order the seed draws
            order = rng.permutation(len(self._files)) if len(self._files) > 1 else [0]
            ids = np.concatenate([self._files[k] for k in order])
            self._streams = np.stack([ids[i * L:(i + 1) * L + 1] for i in range(size)])
            self._pos, self._state = 0, (None, None)
        p = self._pos
        self._pos += T
        h0, c0 = self._state
        return Batch(self._streams[:, p:p + T], self._streams[:, p + 1:p + T + 1], None, None, h0, c0)

    def keep_state(self, h_n, c_n) -> None:
        """The trainer hands over the chunk's final state; the next chunk starts from it
        (a copy: no gradient flows back across chunks)."""
        self._state = (np.array(h_n), None if c_n is None else np.array(c_n))

    # -- showing and typing -------------------------------------------------------------
    def _make(self, text: str) -> Batch:
        """x = the characters, y = the next ones (the last line's end after the last)."""
        ids = self.ids(text)
        y = np.append(ids[1:], self.index.get("\n", 0))
        return Batch(ids[None], y[None])

    def display_example(self) -> Batch:
        """``DISPLAY_CHARS`` of held-out code from a line start: the first window that has a
        string, a comment and brackets two deep (else the first held-out text)."""
        for t in self.heldout:
            sig = signals(t)
            if sig is None:
                continue
            for start in [0] + [i + 1 for i in range(len(t) - 1) if t[i] == "\n" and t[i + 1] not in " \n#"]:
                w = slice(start, start + DISPLAY_CHARS)
                if sig["string"][w].any() and sig["comment"][w].any() and sig["depth_all"][w].max() >= 2 \
                        and sig["indent"][w].max() >= 2 and not sig["string"][start]:
                    return self._make(t[w])
        return self._make(self.heldout[0][:DISPLAY_CHARS])

    def describe(self, batch: Batch, i: int = 0) -> dict:
        n = int(batch.x_lengths[i]) if batch.x_lengths is not None else np.asarray(batch.x).shape[1]
        show = lambda ids: [VISIBLE.get(ch, ch) for ch in self.text(ids)]  # noqa: E731
        return {"x": show(np.asarray(batch.x)[i, :n]), "y": show(np.asarray(batch.y)[i, :n])}

    def encode(self, text: str) -> Batch:
        """Any characters at all (a lone ')' too); unknown ones read as <unk>."""
        if not text:
            from ..inputs import InputError
            raise InputError("type at least one character")
        return self._make(text)

    def sample(self, model, rng: np.random.Generator, temperature: float = 1.0, n: int = 1,
               max_len: int | None = None, prefix: str = PROMPT) -> list[str]:
        """Continue ``prefix`` (the prompt; its state carried) for ``max_len`` characters."""
        prompt = self.ids(prefix or "\n")
        out = gen.sample_tokens(model, int(prompt[0]), eos_id=None, max_len=max_len or 300,
                                temperature=temperature, rng=rng, n=n, prefix=prompt[1:])
        return [prefix + self.text(ids) for ids in out]

    # -- metrics ---------------------------------------------------------------------------
    def baselines(self) -> dict:
        """Bits per character on the held-out text of context-free rules fitted on the
        training text: unigram, and bigram (add-one smoothed)."""
        if self._baselines is None:
            self._baselines = self._fit_baselines()
        return dict(self._baselines)

    def _fit_baselines(self) -> dict:
        V = len(self.chars)
        uni = np.bincount(self.train_ids, minlength=V) + 1.0
        big = np.ones((V, V))
        np.add.at(big, (self.train_ids[:-1], self.train_ids[1:]), 1)
        lu, lb = np.log2(uni / uni.sum()), np.log2(big / big.sum(1, keepdims=True))
        nu = nb = count = 0.0
        for t in self.heldout:
            ids = self.ids(t[:EVAL_CHARS + 1])
            nu -= lu[ids[1:]].sum()
            nb -= lb[ids[:-1], ids[1:]].sum()
            count += len(ids) - 1
        return {"unigram": nu / count, "bigram": nb / count}

    def read_heldout(self, model) -> tuple[float, dict]:
        """(bits per character, {'c': UnitCorrelation of tanh(c<t>), 'a': ... of a<t>}) over
        the held-out files, each read from its start, at most ``EVAL_CHARS`` characters of
        each. tanh(c<t>) is what the text view colours (and what reaches a<t>); c<t> itself
        is unbounded, and one long docstring's drift in it would weigh on r."""
        texts = [t[:EVAL_CHARS + 1] for t in self.heldout if len(t) > 1]
        if self._signals is None:
            self._signals = [signals(t) for t in self.heldout if len(t) > 1]
        sig = self._signals
        L = np.array([len(t) - 1 for t in texts])
        N, T = len(texts), int(L.max())
        x, y = np.zeros((N, T), np.intp), np.zeros((N, T), np.intp)
        S = np.full((T, N, len(SIGNALS)), np.nan)
        for i, t in enumerate(texts):
            ids = self.ids(t)
            x[i, :L[i]], y[i, :L[i]] = ids[:-1], ids[1:]
            if sig[i] is not None:
                S[:L[i], i] = np.stack([sig[i][k][:L[i]] for k in SIGNALS], axis=1)
        units = model.config.hidden_size * model.config.num_layers
        corr = {"c": UnitCorrelation(units), "a": UnitCorrelation(units)}
        nll, state = 0.0, (None, None)
        for k in range(0, T, EVAL_CHUNK):
            xs = x[:, k:k + EVAL_CHUNK]
            lens = np.clip(L - k, 1, xs.shape[1])
            fwd = model.forward(xs, lens, h0=state[0], c0=state[1])
            state = (fwd.h_n, fwd.c_n)
            valid = np.arange(xs.shape[1])[:, None] < (L - k)[None, :]        # (t, N)
            lp = log_softmax(np.asarray(fwd.logits, np.float64))
            nll -= np.take_along_axis(lp, y[:, k:k + EVAL_CHUNK].T[..., None], -1)[..., 0][valid].sum()
            rows = valid & ~np.isnan(S[k:k + EVAL_CHUNK, :, 0])
            if rows.any():
                tr = build_trace(model, fwd, None, None).parts["rnn"]
                for key in ("c", "a"):
                    st = np.concatenate([tr[l][0][key] for l in range(len(tr))], axis=-1)
                    st = np.tanh(st) if key == "c" else st
                    corr[key].add(st[rows], S[k:k + EVAL_CHUNK][rows])
        return float(nll / L.sum() / math.log(2)), corr

    def evaluate(self, model, rng: np.random.Generator | None = None) -> dict:
        from ..model import Model
        rng = np.random.default_rng(7) if rng is None else rng
        bpc, corr = self.read_heldout(model)
        _, corr0 = self.read_heldout(Model(model.config, np.random.default_rng([self.run_seed, 0])))
        return {"bits_per_char": bpc, "baselines": self.baselines(),
                "cells": _cells(corr), "untrained_cells": _cells(corr0),
                "heldout_files": len(self.heldout), "overlap": self.overlap,
                "sample": self.sample(model, rng, temperature=0.8, n=1, max_len=200)[0]}

    def target_reached(self, metrics: dict) -> bool:
        """Held-out ≤ 2.0 bits per character, a bracket-depth unit and a string-or-comment
        unit with |r| ≥ 0.8. Text that is not Python (no signals): below the bigram baseline."""
        cells = metrics["cells"]
        if not cells:
            return metrics["bits_per_char"] < metrics["baselines"]["bigram"]
        prose = max(abs(cells[k]["r"]) for k in ("string", "comment", "text"))
        return metrics["bits_per_char"] <= 2.0 and abs(cells["depth"]["r"]) >= 0.8 and prose >= 0.8


def _cells(corr) -> dict:
    """signal → the best unit over tanh(c<t>) and a<t> ({'unit', 'r', 'state': 'tanh_c' or
    'a'}) and each one's best (tanh_c_unit, tanh_c_r, a_unit, a_r). Units of layer l are
    numbered from l·H."""
    if corr["c"].n == 0:
        return {}
    best = {key: corr[key].best() for key in ("c", "a")}
    out = {}
    for s in SIGNALS:
        c, a = best["c"][s], best["a"][s]
        top, key = (c, "tanh_c") if abs(c["r"]) >= abs(a["r"]) else (a, "a")
        out[s] = {"unit": top["unit"], "r": top["r"], "state": key,
                  "tanh_c_unit": c["unit"], "tanh_c_r": c["r"], "a_unit": a["unit"], "a_r": a["r"]}
    return out
