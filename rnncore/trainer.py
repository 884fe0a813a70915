"""The training loop as a generator of read-only snapshots.

It knows nothing about threads, nor about commands: rnncore.session drives it
and changes the learning rate, clipping or display example between steps. Same seed, same snapshots, bit for bit. A non-finite loss, gradient or
update stops the run before it corrupts the weights: the last snapshot says why
and the weights are the last finite ones.
"""
from __future__ import annotations

import copy as _copy
import math
import time
from dataclasses import dataclass, replace
from typing import Iterator, Protocol

import numpy as np

from .config import CLIP_MODES, ConfigError, TrainConfig, _float
from .data import Batch
from .history import History
from .model import Model
from .optim import clip_by_norm, clip_by_value, global_norm, make_optimizer, state_arrays
from .trace import Trace, build_trace
from .plain import readonly


class DataSource(Protocol):
    def batch(self, rng: np.random.Generator, size: int) -> Batch: ...
    # optional: prepare_model(model) adjusts a freshly built model (the exploding task's large W_aa)
    # optional: keep_state(h_n, c_n) receives each step's final states (truncated BPTT carries them on)


class ArraySource:
    """A fixed data set: each step draws ``size`` rows at random."""

    def __init__(self, data: Batch):
        self.data = data

    def batch(self, rng, size):
        return self.data.take(rng.integers(0, len(self.data), size))


PHASES = ("forward", "loss", "backprop", "clip", "update")


@dataclass(frozen=True)
class Phase:
    """One phase of an optimizer step, with what it produced (read-only)."""
    name: str       # forward | loss | backprop | clip | update
    data: dict      # forward: trace, batch; loss: loss, per_step, example; backprop: grad_norms, flows;
                    # clip: norm, norm_after, clipped, n_clipped, mode, threshold, grad_norms;
                    # update: delta, delta_norms, lr


@dataclass(frozen=True)
class Snapshot:
    step: int                    # optimizer steps taken so far (this one included)
    loss: float                  # L = Σ_t L<t> of this step's batch
    per_step_loss: np.ndarray    # (T_y,) L<t> of this step's batch
    grad_norm: float             # global ‖g‖ before clipping
    grad_norm_clipped: float     # global ‖g‖ after clipping (= before when not clipped)
    clipped: bool                # did clipping change the gradient?
    n_clipped: int               # entries clamped (clip mode 'value')
    lr: float
    clip: str
    clip_threshold: float
    seconds: float               # wall time of this step
    trace: Trace | None          # the display example (N = 1), when traced at this step
    diverged: str | None = None  # why the run stopped, in words; None while healthy
    grad_norms: dict | None = None   # ‖g‖ of each parameter before clipping, on steps that are traced

    @property
    def ok(self) -> bool:
        return self.diverged is None


class Trainer:
    """Trains ``model`` on batches from ``source``; ``run()`` yields a Snapshot per step."""

    def __init__(self, model: Model, source, config: TrainConfig, display: Batch | None = None):
        self.model = model
        self.source = ArraySource(source) if isinstance(source, Batch) else source
        self.config = config
        self.rng = np.random.default_rng([config.seed, 1])
        self.optimizer = make_optimizer(model.params, config)
        self.history = History()
        self.step = 0
        self.display = display
        self._trace_requested = False

    @classmethod
    def create(cls, model_config, train_config: TrainConfig, source, display=None) -> "Trainer":
        """A fresh model from the seed (weights from its own stream of the seed),
        prepared by the source if it asks to be (``source.prepare_model(model)``)."""
        model = Model(model_config, np.random.default_rng([train_config.seed, 0]))
        if hasattr(source, "run_seed"):                    # a task (tasks.base.Task.run_seed)
            source.run_seed = train_config.seed
        prepare = getattr(source, "prepare_model", None)
        if prepare is not None:
            prepare(model)
        return cls(model, source, train_config, display)

    # -- changes between steps (rnncore.session applies its commands here) --------
    def set_lr(self, lr: float) -> None:
        """The learning rate α from the next step on."""
        _float("lr", lr, 0.0, 1e3, lo_open=True)
        self.config = replace(self.config, lr=float(lr))
        self.optimizer.lr = float(lr)

    def set_clip(self, mode: str, threshold: float | None = None) -> None:
        """Clipping from the next step on (threshold None: keep the current one)."""
        if mode not in CLIP_MODES:
            raise ConfigError(f"clip must be one of {', '.join(CLIP_MODES)}; got {mode!r}")
        if threshold is not None:
            _float("clip_threshold", threshold, 0.0, 1e12, lo_open=True)
        self.config = replace(self.config, clip=mode,
                              clip_threshold=self.config.clip_threshold if threshold is None else float(threshold))

    def request_trace(self) -> None:
        """Trace the display example after the next step."""
        self._trace_requested = True

    def set_display(self, example: Batch) -> None:
        """Trace this example (a Batch of one) from now on."""
        self.display = example
        self._trace_requested = True

    # -- the loop ------------------------------------------------------------
    def run(self, steps: int | None = None) -> Iterator[Snapshot]:
        """Yield one snapshot per optimizer step, ``steps`` times (or forever)."""
        n = 0
        while steps is None or n < steps:
            snap = self.train_step()
            n += 1
            yield snap
            if not snap.ok:
                return

    def train_step(self) -> Snapshot:
        """One optimizer step: forward, loss, BPTT, clip, update."""
        steps = self._phases(_UNOBSERVED)
        while True:
            try:
                next(steps)
            except StopIteration as done:
                return done.value

    def phased_step(self) -> Iterator[Phase]:
        """The same optimizer step as :meth:`train_step`, paused after each phase
        (forward → loss → backprop → clip → update) with what that phase produced,
        for row 0 of the batch. The generator's return value is the Snapshot."""
        return (yield from self._phases(_Observer()))

    def phases_on_copy(self) -> list[Phase]:
        """Every Phase of the next optimizer step, taken by a private copy on the batch the next
        real step will draw (this run, its data stream and its carried state are untouched)."""
        return phases_of_next_step(self.model, self.source, self.config, self.rng)

    def _phases(self, observer):
        """The optimizer step as a generator; ``observer`` turns each phase into the Phases it yields."""
        # Overflow is detected and reported below, in words; NumPy's warnings would only repeat it.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            cfg, model = self.config, self.model
            t0 = time.perf_counter()
            batch = self.source.batch(self.rng, cfg.batch_size)
            fwd, (loss, per_step, per_example, dlogits) = model.forward_loss(batch)
            keep = getattr(self.source, "keep_state", None)
            if keep is not None:
                keep(fwd.h_n, fwd.c_n)
            yield from observer.forward(model, batch, fwd, loss, per_step, per_example)
            if not math.isfinite(loss):
                return self._diverged(f"the loss became {loss} at step {self.step + 1}", loss, per_step, float("nan"), t0)
            grads, flows, _ = model.backward(fwd, dlogits)
            want_trace = self._trace_requested or bool(cfg.trace_every and (self.step + 1) % cfg.trace_every == 0)
            param_norms = _norms(grads) if want_trace else None
            yield from observer.backprop(grads, flows)
            norm, norm_after, clipped, n_clipped = self._clip(grads)
            if not math.isfinite(norm):
                return self._diverged(f"the gradient norm became {norm} at step {self.step + 1}", loss, per_step, norm, t0)
            yield from observer.clip(model, cfg, grads, norm, norm_after, clipped, n_clipped)
            problem = self._update(grads)
            if problem is not None:
                return self._diverged(problem, loss, per_step, norm, t0)
            self.step += 1
            self.history.add(self.step, loss, norm, norm_after, clipped)
            yield from observer.update(model, cfg)
            trace = None
            if want_trace:
                trace = self.trace_display()
                self._trace_requested = False
            return Snapshot(self.step, loss, readonly(per_step, copy=True), norm, norm_after, clipped, n_clipped,
                            cfg.lr, cfg.clip, cfg.clip_threshold, time.perf_counter() - t0, trace,
                            grad_norms=param_norms)

    def _clip(self, grads):
        """→ (‖g‖ before, ‖g‖ after, clipped?, entries clamped); grads changed in place."""
        cfg = self.config
        if cfg.clip == "value":
            norm = global_norm(grads)
            if not math.isfinite(norm):
                return norm, norm, False, 0
            n_clipped = clip_by_value(grads, cfg.clip_threshold)
            return norm, global_norm(grads), n_clipped > 0, n_clipped
        limit = cfg.clip_threshold if cfg.clip == "norm" else math.inf
        norm, norm_after = clip_by_norm(grads, limit)
        return norm, norm_after, norm_after < norm, 0

    def _update(self, grads):
        """Apply the optimizer; roll back if it produced a non-finite weight."""
        saved = {k: v.copy() for k, v in self.model.params.items()}
        saved_state = {k: v.copy() for k, v in state_arrays(self.optimizer).items()}
        step_count = self.optimizer.state["step"]
        self.optimizer.step(grads)
        # Adam's moments can hold Inf/NaN that reach the weights only steps later: check both
        if all(np.isfinite(np.vdot(v, v)) for v in self.model.params.values()) \
                and all(np.isfinite(v).all() for v in state_arrays(self.optimizer).values()):
            return None
        for k, v in saved.items():
            np.copyto(self.model.params[k], v)
        for k, v in state_arrays(self.optimizer).items():
            np.copyto(v, saved_state[k])
        self.optimizer.state["step"] = step_count
        return f"the update made a weight or the optimizer's state non-finite at step {self.step + 1} (learning rate {self.config.lr:g} too large?)"

    def _diverged(self, problem, loss, per_step, norm, t0):
        cfg = self.config
        msg = f"Training stopped: {problem}. The weights are those of step {self.step}, the last finite ones."
        return Snapshot(self.step, loss, readonly(per_step, copy=True), norm, norm, False, 0, cfg.lr, cfg.clip,
                        cfg.clip_threshold, time.perf_counter() - t0, None, diverged=msg)

    def trace_display(self) -> Trace | None:
        """Trace of the display example: internals, L<t> and ∂L/∂a<t> (N = 1)."""
        if self.display is None:
            self.display = self.source.batch(np.random.default_rng([self.config.seed, 2]), 1)
        res = self.model.loss_and_grads(self.display)
        return build_trace(self.model, res.fwd, res.per_example, res.flows).select(0)


def phases_of_next_step(model: Model, source, config: TrainConfig, rng: np.random.Generator | None = None
                        ) -> list[Phase]:
    """Every Phase of one optimizer step of a copy of ``model`` on a shallow copy of ``source``:
    neither changes (a task that carries a<t> across chunks, truncated BPTT, keeps its position
    and state). ``rng``: draw the batch as this generator would, without moving it. The generator
    runs to its end in the calling thread: its np.errstate cannot be resumed in another."""
    copy = Model(model.config, 0)
    copy.load_state_dict(model.state_dict())
    trainer = Trainer(copy, _copy.copy(source), config)
    if rng is not None:
        trainer.rng.bit_generator.state = rng.bit_generator.state
    return list(trainer.phased_step())


class _Observer:
    """What :meth:`Trainer.phased_step` shows of each phase, for row 0 of the batch: the Phases
    it yields (the one place that builds them)."""

    def forward(self, model, batch, fwd, loss, per_step, per_example):
        trace = build_trace(model, fwd, per_example, None).select(0)
        yield Phase("forward", {"trace": trace, "batch": batch.take(0)})
        yield Phase("loss", {"loss": loss, "per_step": readonly(per_step, copy=True), "example": trace.loss})

    def backprop(self, grads, flows):
        flows0 = {p: [[readonly(f[:, :1], copy=True) for f in row] for row in layers] for p, layers in flows.items()}
        yield Phase("backprop", {"grad_norms": _norms(grads), "flows": flows0})

    def clip(self, model, cfg, grads, norm, norm_after, clipped, n_clipped):
        yield Phase("clip", {"norm": norm, "norm_after": norm_after, "clipped": clipped, "n_clipped": n_clipped,
                             "mode": cfg.clip, "threshold": cfg.clip_threshold, "grad_norms": _norms(grads)})
        self.before = {k: v.copy() for k, v in model.params.items()}

    def update(self, model, cfg):
        delta = {k: readonly(v - self.before[k], copy=True) for k, v in model.params.items()}
        yield Phase("update", {"delta": delta, "delta_norms": _norms(delta), "lr": cfg.lr})


class _Unobserved:
    """A plain training step: no phase is shown, nothing is copied."""

    def forward(self, *args):
        return ()

    backprop = clip = update = forward


_UNOBSERVED = _Unobserved()


def _norms(arrays: dict) -> dict[str, float]:
    return {k: float(np.sqrt(np.vdot(v, v))) for k, v in arrays.items()}
