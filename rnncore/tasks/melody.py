"""Melody from a style (the notes' §1: music generation, one style in, many notes out).

One-to-many: x is a one-hot style vector (``input_size`` = number of styles); the
model writes T_y notes, each fed back as the next input (x<1> = [style, 0],
x<t> = [0, one-hot y<t-1>]; teacher forcing in training). Notes are the degrees
of two octaves of C major, C4 … C6.

Each style is a fixed shape of intervals from a random first note, simple enough
to hear and to check:

- ``scale-up``: an ascending scale (C D E F …);
- ``scale-down``: a descending scale;
- ``arpeggio``: the triad up and down (C E G C' G E C E …);
- ``motif``: a repeated motif (C C G G A A G G, "twinkle").

The first note is the only free choice, so a trained model's samples differ in
where they start and must follow the style's shape after that. ``evaluate``
samples melodies for every style and counts how many have the requested shape.
"""
from __future__ import annotations

import numpy as np

from .. import generate as gen
from ..config import ConfigError
from ..data import Batch
from ..inputs import InputError
from .base import Task, Vocab, register

NOTES = ["C4", "D4", "E4", "F4", "G4", "A4", "B4", "C5", "D5", "E5", "F5", "G5", "A5", "B5", "C6"]
_CYCLES = {"arpeggio": [0, 2, 4, 7, 4, 2], "motif": [0, 0, 4, 4, 5, 5, 4, 4]}
STYLES = ("scale-up", "scale-down", "arpeggio", "motif")


def shape_of(style: str, length: int) -> np.ndarray:
    """Scale degrees relative to the first note, for ``length`` notes."""
    k = np.arange(length)
    if style == "scale-up":
        return k
    if style == "scale-down":
        return -k
    cyc = _CYCLES[style]
    return np.array([cyc[i % len(cyc)] for i in k])


@register
class MelodyTask(Task):
    name = "melody"
    title = "Melody from a style"
    lesson = "One-to-many: one style vector in, a sequence of notes out, each sampled note fed back in."
    shape = "one-to-many"
    defaults = {"length": 8}      # T_y: notes per melody, 4..14
    model_defaults = {"cell": "lstm", "hidden_size": 32, "dtype": "float32"}
    train_defaults = {"optimizer": "adam", "lr": 0.01, "batch_size": 32, "clip": "norm", "clip_threshold": 5.0}
    default_steps = 600
    target_accuracy = 0.9         # share of sampled melodies (τ = 1) in the requested style

    def __init__(self, **options):
        super().__init__(**options)
        L = self.options["length"]
        if isinstance(L, bool) or not isinstance(L, int) or not 4 <= L <= 14:
            raise ConfigError(f"length must be an integer in [4, 14], got {L!r}")
        self.T = L
        self.notes = Vocab(NOTES)
        self.styles = STYLES
        self.shapes = {s: shape_of(s, L) for s in STYLES}
        # first notes that keep the whole melody inside C4 … C6
        self.starts = {s: np.array([d for d in range(len(NOTES))
                                    if 0 <= d + self.shapes[s].min() and d + self.shapes[s].max() < len(NOTES)])
                       for s in STYLES}

    def io_config(self) -> dict:
        return {"input_size": len(self.styles), "vocab_size": 0, "embedding_dim": 0, "shape": "one-to-many",
                "output": "softmax", "output_size": len(NOTES), "target_length": self.T, "bidirectional": False}

    def style_vector(self, style: str) -> np.ndarray:
        if style not in self.styles:
            raise InputError(f"unknown style {style!r}; styles: {', '.join(self.styles)}")
        v = np.zeros(len(self.styles))
        v[self.styles.index(style)] = 1.0
        return v

    def melody(self, style: str, first: int) -> np.ndarray:
        return first + self.shapes[style]

    def batch(self, rng: np.random.Generator, size: int) -> Batch:
        s = rng.integers(0, len(self.styles), size)
        x = np.eye(len(self.styles))[s]
        y = np.empty((size, self.T), np.intp)
        for i, k in enumerate(s):
            st = self.styles[k]
            y[i] = self.melody(st, int(rng.choice(self.starts[st])))
        return Batch(x, y)

    def display_example(self) -> Batch:
        return Batch(self.style_vector("arpeggio")[None], self.melody("arpeggio", 0)[None])

    def describe(self, batch: Batch, i: int = 0) -> dict:
        k = int(np.argmax(np.asarray(batch.x)[i]))
        y = np.asarray(batch.y)[i]
        n = int(batch.y_lengths[i]) if batch.y_lengths is not None else len(y)
        return {"x": [self.styles[k]], "y": self.notes.decode(y[:n])}

    def encode(self, text: str) -> Batch:
        """A style name, optionally followed by notes: "arpeggio" or "arpeggio C4 E4 G4 C5 G4 E4 C4 E4".
        Without notes the target is the style's melody from C4 (or its lowest allowed start)."""
        words = text.split()
        if not words:
            raise InputError(f"type a style: {', '.join(self.styles)}")
        x = self.style_vector(words[0].lower())
        if len(words) > 1:
            ids = self.notes.encode([w.upper() for w in words[1:]])
            if len(ids) != self.T:
                raise InputError(f"give {self.T} notes after the style, got {len(ids)}")
        else:
            ids = self.melody(words[0].lower(), int(self.starts[words[0].lower()][0]))
        return Batch(x[None], ids[None])

    def input_tokens(self) -> list[str]:
        """What a typed melody is made of: a style, then (optionally) notes."""
        return [*self.styles, *NOTES]

    def style_of(self, ids) -> str | None:
        """The style whose interval shape the melody has, or None."""
        ids = np.asarray(ids)
        for s in self.styles:
            if len(ids) == self.T and np.array_equal(ids - ids[0], self.shapes[s]):
                return s
        return None

    def sample(self, model, rng: np.random.Generator, temperature: float = 1.0, n: int = 1,
               max_len: int | None = None, prefix: str = "", style: str | None = None) -> list[str]:
        """n melodies as text ("arpeggio: C4 E4 G4 …"); ``style`` (or ``prefix``, a style
        name) picks the style, else the styles take turns."""
        style = style or (prefix.strip().lower() or None)
        names = [style] * n if style else [self.styles[i % len(self.styles)] for i in range(n)]
        x = np.stack([self.style_vector(s) for s in names])
        out = gen.generate(model, x, max_len=max_len or self.T, temperature=temperature, rng=rng)
        return [f"{s}: {' '.join(self.notes.decode(ids))}" for s, ids in zip(names, out)]

    def evaluate(self, model, rng: np.random.Generator | None = None, per_style: int = 50) -> dict:
        rng = np.random.default_rng(7) if rng is None else rng
        acc, examples = {}, {}
        for s in self.styles:
            x = np.repeat(self.style_vector(s)[None], per_style, axis=0)
            out = gen.generate(model, x, temperature=1.0, rng=rng)
            acc[s] = float(np.mean([self.style_of(ids) == s for ids in out]))
            examples[s] = " ".join(self.notes.decode(gen.greedy(model, x[:1])[0]))
        b = self.batch(np.random.default_rng(99), 200)
        per_step = -gen.log_probs(model, b.x, b.y).mean(axis=0)
        notes = np.bincount(np.asarray(b.y).ravel(), minlength=len(NOTES))
        majority = np.full(self.T, int(np.argmax(notes)))
        return {"style_accuracy": float(np.mean(list(acc.values()))), "accuracy_by_style": acc,
                "greedy": examples, "per_step_loss": [float(v) for v in per_step],
                # always the most frequent note: a melody in no style; per note, that note's share
                "baselines": {"majority_note": float(self.style_of(majority) is not None),
                              "majority_note_per_note": float(notes.max() / notes.sum())},
                # generation from the style vectors it trained on: every test input is a training input
                "overlap": len(self.styles),
                "overlap_note": "the 4 style inputs are the training inputs (generation is judged by style)"}

    def target_reached(self, metrics: dict) -> bool:
        """≥ 90 % of melodies sampled at temperature 1 have the requested style, every style ≥ 80 %."""
        return (metrics["style_accuracy"] >= self.target_accuracy
                and min(metrics["accuracy_by_style"].values()) >= 0.8)
