"""The adding problem (Hochreiter & Schmidhuber 1997, experiment 4).

Each x<t> = (value, marker): values are uniform in [0, 1); exactly two steps are
marked, one in the first half of the sequence and one in the second. The target
is the sum of the two marked values (many-to-one, linear output, squared error).
This is the form later papers use (Le et al. 2015, Arjovsky et al. 2016), the
one the 0.167 baseline refers to; H&S's original drew values from [−1, 1] and
scaled the target.

Why it teaches the notes' §1 "weak points": the answer depends on inputs up to
T steps back, so a plain RNN's gradient vanishes on its way there and it settles
for the mean, while the gated memory cell of a GRU / LSTM (§2) carries it.

Baseline. Answering the mean, 1.0, for every sequence gives
MSE = E[(u1 + u2 − 1)²] = Var(u1 + u2) = 2 · 1/12 = 1/6 ≈ 0.167 (u1, u2 independent
uniform on [0, 1)); that is the plateau a model that learned nothing sits on.
"""
from __future__ import annotations

import re

import numpy as np

from ..config import ConfigError
from ..data import Batch
from ..inputs import InputError, Reading, read_numbers
from .base import Task, register

BASELINE_MSE = 1.0 / 6.0        # MSE of always answering E[sum] = 1.0 (see the module docstring)
TARGET_MSE = 0.01               # the target for gated cells


@register
class AddingTask(Task):
    name = "adding"
    title = "Adding problem"
    lesson = "Gradients vanish over long lags for a plain RNN; an LSTM's memory cell carries two marked numbers across T steps."
    shape = "many-to-one"
    defaults = {"length": 50}     # T: steps per sequence (H&S 1997 used T ≥ 100 as well)
    model_defaults = {"cell": "lstm", "hidden_size": 32, "dtype": "float32"}
    train_defaults = {"optimizer": "adam", "lr": 0.01, "batch_size": 64, "clip": "norm", "clip_threshold": 1.0}
    default_steps = 1500

    def __init__(self, **options):
        super().__init__(**options)
        T = self.options["length"]
        if isinstance(T, bool) or not isinstance(T, int) or not 2 <= T <= 10_000:
            raise ConfigError(f"length must be an integer in [2, 10000], got {T!r}")
        self.T = T

    def io_config(self) -> dict:
        return {"input_size": 2, "vocab_size": 0, "embedding_dim": 0, "shape": "many-to-one",
                "output": "linear", "output_size": 1, "target_length": 0}

    # -- data ----------------------------------------------------------------
    def batch(self, rng: np.random.Generator, size: int) -> Batch:
        """x (N, T, 2): [value, marker]; y (N, 1): the sum of the two marked values."""
        T = self.T
        half = T // 2
        x = np.zeros((size, T, 2))
        x[:, :, 0] = rng.random((size, T))
        first = rng.integers(0, half, size)
        second = rng.integers(half, T, size)
        rows = np.arange(size)
        x[rows, first, 1] = 1.0
        x[rows, second, 1] = 1.0
        y = (x[rows, first, 0] + x[rows, second, 0])[:, None]
        return Batch(x, y)

    def display_example(self) -> Batch:
        return self.batch(np.random.default_rng(2026), 1)

    def describe(self, batch: Batch, i: int = 0) -> dict:
        x = np.asarray(batch.x)[i]
        toks = [f"[{v:.2f}]" if m else f"{v:.2f}" for v, m in x]
        return {"x": toks, "y": [f"{float(np.asarray(batch.y)[i].ravel()[0]):.3f}"]}

    def encode(self, text: str) -> Batch:
        """Numbers separated by spaces or commas; the two to add in brackets: "0.3 [0.5] 0.1 [0.2]"."""
        parts = [p for p in re.split(r"[\s,]+", text.strip()) if p]
        if not parts:
            raise InputError("type a few numbers, the two to add in brackets, e.g. 0.3 [0.5] 0.1 [0.2]")
        vals, marks = [], []
        for p in parts:
            marked = p.startswith("[") and p.endswith("]")
            body = p[1:-1] if marked else p
            try:
                v = float(body)
            except ValueError:
                raise InputError(f"not a number: {p!r} (write numbers, the two to add in brackets)") from None
            if not np.isfinite(v):
                raise InputError(f"not a finite number: {p!r}")
            vals.append(v)
            marks.append(1.0 if marked else 0.0)
        if sum(marks) != 2:
            raise InputError(f"mark exactly two numbers with brackets, got {int(sum(marks))}")
        x = np.array([vals, marks]).T[None]
        y = np.array([[sum(v for v, m in zip(vals, marks) if m)]])
        return Batch(x, y)

    def read(self, text: str) -> Reading:
        """The sentence box's reading: whatever is not a number is skipped and listed."""
        return read_numbers(self.encode, text)

    # -- metrics -------------------------------------------------------------
    def evaluate(self, model, rng: np.random.Generator | None = None) -> dict:
        rng = np.random.default_rng(12345) if rng is None else rng
        b = self.batch(rng, 1000)
        pred = np.asarray(model.predict(b.x), float).reshape(-1)
        y = np.asarray(b.y).reshape(-1)
        return {"mse": float(np.mean((pred - y) ** 2)),
                "baseline_mse": BASELINE_MSE,
                "baseline_mse_sample": float(np.mean((1.0 - y) ** 2)),
                # always answering 1 (the mean sum): MSE = Var = 1/6, on these sequences and in theory
                "baselines": {"always_1": float(np.mean((1.0 - y) ** 2)), "variance_1_6": BASELINE_MSE},
                "overlap": 0,     # real-valued inputs: a test sequence equal to a training one has probability 0
                "cell": model.config.cell,
                "expected_to_learn": model.config.cell != "rnn",   # the lesson: only gated cells learn
                "length": self.T}

    def target_reached(self, metrics: dict) -> bool:
        """Gated cells: MSE < 0.01. The vanilla RNN's lesson is that it does *not*
        learn: its target is to stay near the 1/6 baseline (MSE > 0.1)."""
        if metrics.get("cell") == "rnn":
            return metrics["mse"] > 0.1
        return metrics["mse"] < TARGET_MSE
