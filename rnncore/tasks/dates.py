"""Date translation (the notes' §1 many-to-many with T_x ≠ T_y), as in the
deeplearning.ai Sequence Models course's machine-translation exercise.

Human-written dates in several formats are translated, character by character,
into the machine format YYYY-MM-DD::

    "26 nov 2026"  "26 november 2026"  "november 26, 2026"  "nov 26, 2026"
    "26/11/2026"   "26.11.2026"                            → "2026-11-26"

Encoder-decoder: a (bidirectional) encoder reads the characters of x; its final
states start the decoder, which writes the 10 output characters, each fed back as
the next input. Unlike the course's exercise there is no attention: the encoder's
final state carries the whole date. Dates are drawn uniformly from
1950-01-01 … 2049-12-31; the held-out dates (1000, fixed) never occur in training,
in any format, and dates outside that range (2050-2099) are scored on their own.
"""
from __future__ import annotations

import datetime as _dt

import numpy as np

from .. import generate as gen
from ..data import Batch
from ..inputs import InputError, Reading, replace_unknown
from .base import Task, Vocab, register

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
FORMATS = ("d mon yyyy", "d month yyyy", "month d, yyyy", "mon d, yyyy", "dd/mm/yyyy", "dd.mm.yyyy")
IN_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz ,/."
OUT_CHARS = "0123456789-"
FIRST, LAST = _dt.date(1950, 1, 1), _dt.date(2049, 12, 31)
PAD = "<pad>"


def human(date: _dt.date, fmt: str) -> str:
    """``date`` written in one of :data:`FORMATS`."""
    d, m, y = date.day, date.month, date.year
    month = MONTHS[m - 1]
    return {"d mon yyyy": f"{d} {month[:3]} {y}",
            "d month yyyy": f"{d} {month} {y}",
            "month d, yyyy": f"{month} {d}, {y}",
            "mon d, yyyy": f"{month[:3]} {d}, {y}",
            "dd/mm/yyyy": f"{d:02d}/{m:02d}/{y}",
            "dd.mm.yyyy": f"{d:02d}.{m:02d}.{y}"}[fmt]


def machine(date: _dt.date) -> str:
    return date.isoformat()


@register
class DatesTask(Task):
    name = "dates"
    title = "Date translation"
    lesson = "Encoder-decoder (T_x ≠ T_y): an encoder reads '26 nov 2026', a decoder writes '2026-11-26'."
    shape = "encoder-decoder"
    defaults = {}
    model_defaults = {"cell": "lstm", "hidden_size": 48, "bidirectional": True, "dtype": "float32"}
    train_defaults = {"optimizer": "adam", "lr": 0.01, "batch_size": 32, "clip": "norm", "clip_threshold": 5.0}
    default_steps = 2000
    target_accuracy = 0.95        # exact match of all 10 characters

    def __init__(self, **options):
        super().__init__(**options)
        self.inp = Vocab([PAD] + list(IN_CHARS))
        self.out = Vocab(list(OUT_CHARS))
        self.T_y = 10
        self.T_x = max(len(human(_dt.date(2000, 9, 30), f)) for f in FORMATS)   # "september 30, 2000" is longest

    def io_config(self) -> dict:
        return {"vocab_size": len(self.inp), "input_size": 0, "shape": "encoder-decoder", "output": "softmax",
                "output_size": len(self.out), "target_length": self.T_y}

    def _make(self, texts, targets) -> Batch:
        L = np.array([len(t) for t in texts])
        x = np.zeros((len(texts), int(L.max())), np.intp)
        for i, t in enumerate(texts):
            x[i, :L[i]] = self.inp.encode(t)
        y = np.stack([self.out.encode(t) for t in targets])
        return Batch(x, y, L)

    def sample_dates(self, rng: np.random.Generator, size: int, refuse: bool = True, first=FIRST, last=LAST):
        """size dates uniform in [first, last] and a format each (refuse: never a held-out date)."""
        if refuse:
            return self.training_dates(rng, size)
        span = (last - first).days + 1
        days = rng.integers(0, span, size)
        fmts = rng.integers(0, len(FORMATS), size)
        dates = [first + _dt.timedelta(days=int(d)) for d in days]
        return dates, [FORMATS[f] for f in fmts]

    def heldout(self, n: int = 1000):
        """The held-out dates and formats, fixed (drawn once)."""
        if getattr(self, "_held", None) is None:
            self._held = self.sample_dates(np.random.default_rng(12345), n, refuse=False)
        return self._held

    def training_dates(self, rng: np.random.Generator, size: int):
        """Dates for training: never one of the held-out dates (in whatever format)."""
        held = set(self.heldout()[0])
        dates, fmts = self.sample_dates(rng, size, refuse=False)
        while any(d in held for d in dates):
            dates = [d if d not in held else self.sample_dates(rng, 1, refuse=False)[0][0] for d in dates]
        return dates, fmts

    def batch(self, rng: np.random.Generator, size: int) -> Batch:
        dates, fmts = self.training_dates(rng, size)
        return self._make([human(d, f) for d, f in zip(dates, fmts)], [machine(d) for d in dates])

    def display_example(self) -> Batch:
        return self.encode("26 nov 2026")

    def describe(self, batch: Batch, i: int = 0) -> dict:
        x = np.asarray(batch.x)[i]
        n = int(batch.x_lengths[i]) if batch.x_lengths is not None else len(x)
        return {"x": self.inp.decode(x[:n]), "y": self.out.decode(np.asarray(batch.y)[i])}

    def detokenize(self, tokens) -> str:
        """Output characters as the task writes them: '2026-11-26', not '2 0 2 6 - ...'."""
        return "".join(tokens)

    def parse(self, text: str) -> _dt.date:
        """The date a human-written string means (any of the formats), or InputError."""
        s = " ".join(text.lower().split())
        for fmt in FORMATS:
            for pattern in _strptime_patterns(fmt):
                try:
                    return _dt.datetime.strptime(s, pattern).date()
                except ValueError:
                    pass
        raise InputError(f"not a date in a known format: {text!r} (e.g. {', '.join(repr(human(_dt.date(2026, 11, 26), f)) for f in FORMATS)})")

    def encode(self, text: str) -> Batch:
        """A typed date → a batch of one; the target is its YYYY-MM-DD form when the
        text is a valid date in a known format, else zeros. Unknown characters raise."""
        s = " ".join(text.lower().split())
        if not s:
            raise InputError("type a date, e.g. 26 nov 2026")
        self.inp.encode(list(s))
        return self.read(s).batch

    def read(self, text: str) -> Reading:
        """The sentence box's reading: characters the encoder lacks read as <pad> in place; a text
        that is no date in a known format has no known answer (``target_known`` False: its y,
        "0000-00-00", is a stand-in the decoder is fed, not a target)."""
        s = " ".join(text.lower().split())
        if not s:
            raise InputError("type a date, e.g. 26 nov 2026")
        chars, unknown = replace_unknown(self.inp, list(s), PAD)
        try:
            target, known = machine(self.parse(s)), True
        except InputError:
            target, known = "0000-00-00", False
        return Reading(self._make([chars], [target]), unknown, PAD, (), known)

    def translate(self, model, texts) -> list[str]:
        """Greedy decoding of each text (the model's YYYY-MM-DD)."""
        texts = [" ".join(t.lower().split()) for t in texts]
        b = self._make(texts, ["0000-00-00"] * len(texts))
        return ["".join(self.out.decode(ids)) for ids in gen.greedy(model, b.x, b.x_lengths)]

    def overlap(self) -> int:
        """Held-out dates found among 20000 training dates (0: training refuses them)."""
        if getattr(self, "_overlap", None) is None:
            train = set(self.training_dates(np.random.default_rng(54321), 20000)[0])
            self._overlap = sum(d in train for d in self.heldout()[0])
        return self._overlap

    def most_frequent_output(self) -> str:
        """The most frequent target string of 20000 training dates (the shortcut "always say this")."""
        if getattr(self, "_frequent", None) is None:
            dates = self.training_dates(np.random.default_rng(54321), 20000)[0]
            values, counts = np.unique([machine(d) for d in dates], return_counts=True)
            self._frequent = str(values[np.argmax(counts)])
        return self._frequent

    def evaluate(self, model, rng: np.random.Generator | None = None) -> dict:
        """Exact match on the held-out dates (in training's range, never trained on), by format;
        apart, on 200 dates of 2050-2099 (years training never saw). ``rng`` is not used."""
        dates, fmts = self.heldout()
        texts = [human(d, f) for d, f in zip(dates, fmts)]
        pred = self.translate(model, texts)
        ok = np.array([p == machine(d) for p, d in zip(pred, dates)])
        far, ffmts = self.sample_dates(np.random.default_rng(777), 200, refuse=False,
                                       first=_dt.date(2050, 1, 1), last=_dt.date(2099, 12, 31))
        far_pred = self.translate(model, [human(d, f) for d, f in zip(far, ffmts)])
        frequent = self.most_frequent_output()
        by_fmt = {f: float(ok[[g == f for g in fmts]].mean()) for f in FORMATS if f in fmts}
        examples = {t: p for t, p in zip(texts[:5], pred[:5])}
        return {"exact_match": float(ok.mean()), "by_format": by_fmt,
                "out_of_range_exact_match": float(np.mean([p == machine(d) for p, d in zip(far_pred, far)])),
                "baselines": {"most_frequent_output": float(np.mean([machine(d) == frequent for d in dates]))},
                "overlap": self.overlap(),
                "char_accuracy": float(np.mean([sum(a == b for a, b in zip(p, machine(d))) / 10
                                                for p, d in zip(pred, dates)])),
                "examples": examples}

    def target_reached(self, metrics: dict) -> bool:
        """Exact-match accuracy ≥ 95 % on 1000 held-out dates (all formats)."""
        return metrics["exact_match"] >= self.target_accuracy


def _strptime_patterns(fmt):
    return {"d mon yyyy": ["%d %b %Y"], "d month yyyy": ["%d %B %Y"], "month d, yyyy": ["%B %d, %Y"],
            "mon d, yyyy": ["%b %d, %Y"], "dd/mm/yyyy": ["%d/%m/%Y"], "dd.mm.yyyy": ["%d.%m.%Y"]}[fmt]
