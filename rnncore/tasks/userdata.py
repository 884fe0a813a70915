"""The user's own data: a plain-text corpus for the language model, and a TSV of
labeled sequences.

Plain text (``load_text_corpus``)
    UTF-8 text, any layout. The language model (task ``lm``, option ``corpus``)
    splits it into sentences at line ends and at . ! ?, lower-cases it and drops
    punctuation, as the notes do.

Labeled sequences (``load_labeled_tsv``, task ``user-labels``)
    UTF-8, one sequence per line, two columns separated by one TAB::

        # lines starting with # are comments; blank lines are skipped
        #labels	0 1
        harry potter and hermione granger invented a new spell	1 1 0 1 1 0 0 0 0
        the cat sat on the mat	0 0 0 0 0 0

    - column 1: the tokens, separated by spaces;
    - column 2: the labels, separated by spaces: either one label per token (a
      per-token file: many-to-many tagging) or one label for the whole line (a
      per-sequence file: many-to-one classification). Every line of a file must
      be the same kind; the first line with more than one token decides;
    - optional header ``#labels<TAB>a b c`` (before the first data line): the
      allowed label values; any other value is an error. Without it, the values
      found in the file are the label set (at least two are needed).

Limits and errors. Files larger than ``MAX_BYTES`` (10 MiB), empty files (or
only blank lines and comments), binary files (a NUL byte), invalid UTF-8,
lines without exactly one TAB, lines with no tokens, ragged labels (a count that
is neither 1 nor the number of tokens, or that disagrees with the file's kind),
unknown label values and lines longer than ``MAX_TOKENS`` tokens raise
:class:`DataFileError` (a ``ValueError``), whose message names the file and the
line. Loading either returns everything or raises: nothing is half-loaded.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from ..config import ConfigError
from ..data import Batch
from ..inputs import InputError
from .base import Task, Vocab, register

MAX_BYTES = 10 * 1024 * 1024     # larger files are refused: the app trains small models live
MAX_TOKENS = 1000                # tokens per labeled line (BPTT over longer sequences is not a toy)


class DataFileError(ValueError):
    """A user's data file cannot be used; ``path`` and ``line`` (1-based or None) say where."""

    def __init__(self, path, message: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        where = f"{self.path}, line {line}" if line else self.path
        super().__init__(f"{where}: {message}")


def read_text(path) -> list[str]:
    """The lines of a UTF-8 text file (without line ends), after every check above."""
    p = os.fspath(path)
    if not os.path.exists(p):
        raise DataFileError(p, "no such file")
    if not os.path.isfile(p):
        raise DataFileError(p, "not a regular file")
    size = os.path.getsize(p)
    if size > MAX_BYTES:
        raise DataFileError(p, f"file is {size / 2**20:.1f} MiB; the limit is {MAX_BYTES / 2**20:.0f} MiB "
                               "(use a smaller sample of your data)")
    if size == 0:
        raise DataFileError(p, "file is empty")
    try:
        with open(p, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except OSError as e:
        raise DataFileError(p, f"cannot be read: {e.strerror or e}") from None
    if len(raw) > MAX_BYTES:     # grew since the size check
        raise DataFileError(p, f"file is larger than the limit of {MAX_BYTES / 2**20:.0f} MiB")
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise DataFileError(p, "looks like a binary file (it contains a NUL byte); expected UTF-8 text",
                            raw.count(b"\n", 0, nul) + 1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        raise DataFileError(p, f"is not valid UTF-8 (byte 0x{raw[e.start]:02x} at column {col}); "
                               "save it as UTF-8", line) from None
    # lines end at \n only: str.splitlines() also breaks at \x1c-\x1e, \x85, \u2028 ...,
    # which would make the line numbers in messages disagree with every editor
    lines = [s[:-1] if s.endswith("\r") else s for s in text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()
    if not any(s.strip() for s in lines):
        raise DataFileError(p, "file has no text (only blank lines)")
    return lines


def load_text_corpus(path) -> list[str]:
    """A plain-text corpus: its non-blank lines (checked as described above)."""
    return [s for s in read_text(path) if s.strip()]


@dataclass(frozen=True)
class LabeledData:
    """Sequences of tokens with their labels, as read from a TSV file."""
    path: str
    tokens: tuple            # tuple of tuples of str, one per sequence
    labels: tuple            # per-token: tuple of tuples of str; per-sequence: tuple of str
    per_token: bool          # one label per token (tagging) or one per sequence
    label_names: tuple       # the allowed label values, in order (class ids)
    line_numbers: tuple      # the file's line of each sequence

    def __len__(self):
        return len(self.tokens)


def load_labeled_tsv(path, allowed_labels=None) -> LabeledData:
    """Read a TSV of labeled sequences (format in the module docstring).

    ``allowed_labels``: the label values a caller accepts (overrides a ``#labels``
    header). Returns a :class:`LabeledData` or raises :class:`DataFileError`.
    """
    p = os.fspath(path)
    lines = read_text(p)
    declared = None if allowed_labels is None else tuple(dict.fromkeys(str(v) for v in allowed_labels))
    toks, labs, nums = [], [], []
    per_token = None                  # decided by the first line with > 1 token
    decided_at = None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        if line.startswith("#"):
            head = line[1:].split("\t", 1)
            if head[0].strip() == "labels" and allowed_labels is None:
                if toks:
                    raise DataFileError(p, "the #labels header must come before the first sequence", n)
                if len(head) < 2 or not head[1].split():
                    raise DataFileError(p, "the #labels header needs values after a TAB, e.g. '#labels<TAB>0 1'", n)
                declared = tuple(dict.fromkeys(head[1].split()))
            continue
        cols = line.split("\t")
        if len(cols) != 2:
            raise DataFileError(p, f"expected two columns separated by one TAB (tokens<TAB>labels), "
                                   f"found {len(cols)} column{'s' if len(cols) != 1 else ''}", n)
        t, lab = cols[0].split(), cols[1].split()
        if not t:
            raise DataFileError(p, "no tokens before the TAB", n)
        if not lab:
            raise DataFileError(p, "no labels after the TAB", n)
        if len(t) > MAX_TOKENS:
            raise DataFileError(p, f"{len(t)} tokens; at most {MAX_TOKENS} per sequence", n)
        if len(lab) not in (1, len(t)):
            raise DataFileError(p, f"ragged labels: {len(t)} tokens but {len(lab)} labels "
                                   f"(give one label per token, or one for the whole line)", n)
        if len(t) > 1:
            kind = len(lab) == len(t)
            if per_token is None:
                per_token, decided_at = kind, n
            elif kind != per_token:
                want = "one label per token" if per_token else "one label per line"
                raise DataFileError(p, f"ragged labels: {len(t)} tokens and {len(lab)} label"
                                       f"{'s' if len(lab) != 1 else ''}, but line {decided_at} made this a "
                                       f"file with {want}", n)
        if declared is not None:
            bad = [v for v in lab if v not in declared]
            if bad:
                shown = ", ".join(repr(v) for v in dict.fromkeys(bad))
                raise DataFileError(p, f"unknown label value(s) {shown}; allowed: {' '.join(declared)}", n)
        toks.append(tuple(t))
        labs.append(tuple(lab))
        nums.append(n)
    if not toks:
        raise DataFileError(p, "file has no sequences (only comments and blank lines)")
    per_token = bool(per_token)
    labels = tuple(labs) if per_token else tuple(lab[0] for lab in labs)
    if declared is None:
        flat = [v for lab in labs for v in lab]
        names = tuple(sorted(dict.fromkeys(flat)))
    else:
        names = declared
    if len(names) < 2:
        raise DataFileError(p, f"needs at least two different label values to learn from, found {len(names)}: "
                               f"{' '.join(names)}")
    return LabeledData(p, tuple(toks), labels, per_token, names, tuple(nums))


def _bundled(name: str) -> str:
    return os.path.join(os.path.dirname(os.path.dirname(__file__)), "corpora", name)


EXAMPLE_TSV = _bundled("example_names.tsv")   # the format by example: name tagging as in the notes


@register
class UserLabelsTask(Task):
    """Labeled sequences from a TSV file (format in the module docstring).

    Per-token files train a bidirectional many-to-many tagger, per-sequence files
    a many-to-one classifier; both with a softmax over the label values. Tokens
    unseen in training are refused by ``encode`` with the list of them.
    """
    name = "user-labels"
    title = "Your labeled sequences (TSV)"
    lesson = "Your own sequences: many-to-many tagging or many-to-one classification, per-timestep loss."
    shape = "many-to-many"
    defaults = {"path": None,            # a TSV file; None: the bundled name-tagging example
                "labels": None}          # allowed label values (list); None: the file's #labels header or its values
    model_defaults = {"cell": "gru", "hidden_size": 32, "dtype": "float32", "loss_reduction": "mean"}
    train_defaults = {"optimizer": "adam", "lr": 0.01, "batch_size": 32, "clip": "norm", "clip_threshold": 5.0}
    default_steps = 600
    target_accuracy = 0.9

    def __init__(self, **options):
        super().__init__(**options)
        path, allowed = self.options["path"], self.options["labels"]
        if path is not None and not isinstance(path, (str, os.PathLike)):
            raise ConfigError(f"path must be the path of a TSV file, got {path!r}")
        if isinstance(allowed, str):        # the command line's --labels "0 1" (not its characters)
            allowed = allowed.replace(",", " ").split()
        if allowed is not None and (not isinstance(allowed, (list, tuple))
                                    or not all(isinstance(v, (str, int)) for v in allowed)):
            raise ConfigError(f"labels must be a list of label values, got {allowed!r}")
        data = load_labeled_tsv(path or EXAMPLE_TSV, allowed)   # raises before anything is kept
        self.data = data
        self.shape = "many-to-many" if data.per_token else "many-to-one"
        self.model_defaults = {**type(self).model_defaults, "bidirectional": data.per_token}
        self.vocab = Vocab([t for seq in data.tokens for t in seq])
        self.labels = Vocab(data.label_names)
        self.ids = [self.vocab.encode(seq) for seq in data.tokens]
        if data.per_token:
            self.targets = [self.labels.encode(lab) for lab in data.labels]
        else:
            self.targets = [int(i) for i in self.labels.encode(data.labels)]
        n = len(data)
        test = np.arange(n) % 10 == 9 if n >= 10 else np.ones(n, bool)
        self.test_rows = np.flatnonzero(test)
        held = {data.tokens[r] for r in self.test_rows}
        train = [r for r in np.flatnonzero(~test) if data.tokens[r] not in held]   # copies of a test line stay out
        self.train_rows = np.array(train, np.intp) if train else np.arange(n)

    def io_config(self) -> dict:
        return {"vocab_size": len(self.vocab), "input_size": 0, "shape": self.shape,
                "output": "softmax", "output_size": len(self.labels), "target_length": 0}

    def _make(self, rows) -> Batch:
        L = np.array([len(self.ids[r]) for r in rows])
        T = int(L.max())
        x = np.zeros((len(rows), T), np.intp)
        for i, r in enumerate(rows):
            x[i, :L[i]] = self.ids[r]
        if self.data.per_token:
            y = np.zeros((len(rows), T), np.intp)
            for i, r in enumerate(rows):
                y[i, :L[i]] = self.targets[r]
        else:
            y = np.array([self.targets[r] for r in rows], np.intp)
        return Batch(x, y, L)

    def batch(self, rng: np.random.Generator, size: int) -> Batch:
        return self._make(self.train_rows[rng.integers(0, len(self.train_rows), size)])

    def display_example(self) -> Batch:
        return self._make([0])

    def describe(self, batch: Batch, i: int = 0) -> dict:
        n = int(batch.x_lengths[i]) if batch.x_lengths is not None else np.asarray(batch.x).shape[1]
        x = self.vocab.decode(np.asarray(batch.x)[i, :n])
        y = np.asarray(batch.y)[i]
        ys = self.labels.decode(y[:n]) if self.data.per_token else [self.labels.tokens[int(y)]]
        return {"x": x, "y": ys}

    def encode(self, text: str) -> Batch:
        toks = text.split()
        if not toks:
            raise InputError("type a sequence of tokens separated by spaces")
        ids = self.vocab.encode(toks)
        y = np.zeros((1, len(ids)), np.intp) if self.data.per_token else np.zeros(1, np.intp)
        return Batch(ids[None], y)

    def evaluate(self, model, rng: np.random.Generator | None = None) -> dict:
        out = {}
        for name, rows in (("accuracy", self.test_rows), ("train_accuracy", self.train_rows)):
            correct = total = 0
            for k in range(0, len(rows), 256):
                b = self._make(rows[k:k + 256])
                p = np.argmax(model.predict(b.x, b.x_lengths), axis=-1)
                if self.data.per_token:
                    m = np.arange(p.shape[1])[None] < b.x_lengths[:, None]
                    correct += int(((p == b.y) & m).sum())
                    total += int(m.sum())
                else:
                    correct += int((p == b.y).sum())
                    total += len(p)
            out[name] = correct / max(total, 1)
        out.update(per_token=self.data.per_token, sequences=len(self.data), labels=list(self.labels.tokens))
        out["baselines"] = {"majority_label": self._majority_label_accuracy()}
        train = {self.data.tokens[r] for r in self.train_rows}
        out["overlap"] = sum(self.data.tokens[r] in train for r in self.test_rows)   # > 0 only for files under 10 lines
        return out

    def _majority_label_accuracy(self) -> float:
        """Held-out accuracy of always answering training's most frequent label."""
        flat = lambda rows: np.concatenate([np.atleast_1d(self.targets[r]) for r in rows])  # noqa: E731
        majority = np.argmax(np.bincount(flat(self.train_rows), minlength=len(self.labels)))
        return float(np.mean(flat(self.test_rows) == majority))

    def target_reached(self, metrics: dict) -> bool:
        """Held-out accuracy ≥ 90 % (every 10th line is held out; all lines if < 10)."""
        return metrics["accuracy"] >= self.target_accuracy
