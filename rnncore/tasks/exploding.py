"""Exploding gradients (the notes' §1 "weak points"): a vanilla RNN whose
recurrent weights start large.

The data is a gentle many-to-many regression: x<t> is a number drawn from
N(0, 1) and the target is the input ``delay`` steps earlier, y<t> = x<t−delay>
(0 for the first steps), linear output, squared error summed over time.

What makes gradients explode is the model, not the data: :meth:`prepare_model`
rescales every recurrent matrix W_aa so its spectral radius is ``scale``
(default 2). ∂L/∂a<t> is multiplied by W_aaᵀ diag(g') at every step back through
time, so wherever the units are not saturated its norm grows like scale^k. With
SGD an enormous gradient is an enormous step: the weights overshoot, the next
gradient is larger still, and within a few dozen steps the loss overflows; the
trainer stops and reports it (``Snapshot.diverged``). Clipping the global norm at
1.0 (the notes' fix: rescale the gradient when it exceeds a threshold) bounds
every step and the same run trains. With small recurrent weights (``scale=0.5``)
the same optimizer trains without clipping: it is W_aa that explodes the
gradient, not the learning rate. Measured with the defaults over seeds 0–9
(2026-11): unclipped runs diverged at steps 20–43, every clipped run reached
MSE < 0.05 within 300 steps, and every small-W_aa run within 100 unclipped. The trainer records ‖g‖ before and after
clipping at every step (``Snapshot.grad_norm``, ``grad_norm_clipped``).

Call ``task.prepare_model(model)`` after building the model and before training
(the app and CLI do this for every task that has the method).
"""
from __future__ import annotations

import numpy as np

from ..config import ConfigError
from ..data import Batch
from ..inputs import InputError, Reading, read_numbers
from .base import Task, register


@register
class ExplodingTask(Task):
    name = "exploding"
    title = "Exploding gradients"
    lesson = "Large recurrent weights make ∂L/∂a<t> grow step after step back in time; clipping the gradient norm keeps training stable."
    shape = "many-to-many"
    defaults = {"length": 30,     # T
                "delay": 1,       # y<t> = x<t−delay>
                "scale": 2.0}     # spectral radius of W_aa after prepare_model
    model_defaults = {"cell": "rnn", "hidden_size": 32, "dtype": "float32"}
    train_defaults = {"optimizer": "sgd", "lr": 0.01, "momentum": 0.9, "batch_size": 32,
                      "clip": "norm", "clip_threshold": 1.0}
    default_steps = 2000
    target_mse = 0.05             # mean squared error per step on held-out sequences

    def __init__(self, **options):
        super().__init__(**options)
        T, d, s = self.options["length"], self.options["delay"], self.options["scale"]
        if isinstance(T, bool) or not isinstance(T, int) or not 2 <= T <= 10_000:
            raise ConfigError(f"length must be an integer in [2, 10000], got {T!r}")
        if isinstance(d, bool) or not isinstance(d, int) or not 0 <= d < T:
            raise ConfigError(f"delay must be an integer in [0, length), got {d!r}")
        if isinstance(s, bool) or not isinstance(s, (int, float)) or not 0 < s <= 100:
            raise ConfigError(f"scale must be a number in (0, 100], got {s!r}")
        self.T, self.delay, self.scale = T, d, float(s)

    def io_config(self) -> dict:
        return {"input_size": 1, "vocab_size": 0, "embedding_dim": 0, "shape": "many-to-many",
                "output": "linear", "output_size": 1, "target_length": 0}

    def prepare_model(self, model) -> None:
        """Rescale each recurrent matrix W_aa (``*.Wh``) in place so its spectral
        radius is ``scale``; call once, after the model is built, before training."""
        for name, W in model.params.items():
            if name.endswith(".Wh"):
                H = W.shape[0]
                blocks = W.shape[1] // H
                for k in range(blocks):          # one H×H block per gate
                    B = W[:, k * H:(k + 1) * H]
                    rho = float(np.max(np.abs(np.linalg.eigvals(B.astype(np.float64)))))
                    if rho > 0:
                        B *= self.scale / rho

    def _target(self, x):
        y = np.zeros_like(x)
        d = self.delay
        y[:, d:] = x[:, :x.shape[1] - d] if d else x
        return y

    def batch(self, rng: np.random.Generator, size: int) -> Batch:
        x = rng.standard_normal((size, self.T, 1))
        return Batch(x, self._target(x))

    def display_example(self) -> Batch:
        return self.batch(np.random.default_rng(2026), 1)

    def describe(self, batch: Batch, i: int = 0) -> dict:
        return {"x": [f"{v:+.2f}" for v in np.asarray(batch.x)[i, :, 0]],
                "y": [f"{v:+.2f}" for v in np.asarray(batch.y)[i, :, 0]]}

    def encode(self, text: str) -> Batch:
        """Numbers separated by spaces or commas."""
        try:
            vals = [float(v) for v in text.replace(",", " ").split()]
        except ValueError as e:
            raise InputError(f"type numbers separated by spaces: {e}") from None
        if not vals or not np.all(np.isfinite(vals)):
            raise InputError("type at least one finite number")
        x = np.array(vals)[None, :, None]
        return Batch(x, self._target(x))

    def read(self, text: str) -> Reading:
        """The sentence box's reading: whatever is not a number is skipped and listed."""
        return read_numbers(self.encode, text)

    def evaluate(self, model, rng: np.random.Generator | None = None) -> dict:
        rng = np.random.default_rng(12345) if rng is None else rng
        b = self.batch(rng, 256)
        with np.errstate(over="ignore", invalid="ignore"):
            pred = np.asarray(model.predict(b.x), float)
            mse = float(np.mean((pred - b.y) ** 2))
        radius = {}
        for name, W in model.params.items():
            if name.endswith(".Wh"):
                H = W.shape[0]
                radius[name] = float(np.max(np.abs(np.linalg.eigvals(W[:, :H].astype(np.float64)))))
        return {"mse": mse, "baseline_mse": float(np.mean(b.y ** 2)), "spectral_radius": radius,
                "baselines": {"always_0": float(np.mean(b.y ** 2))},
                "overlap": 0}     # real-valued inputs: a test sequence equal to a training one has probability 0

    def target_reached(self, metrics: dict) -> bool:
        """Per-step MSE below 0.05 (answering 0 gives about 1.0)."""
        return bool(np.isfinite(metrics["mse"])) and metrics["mse"] < self.target_mse
