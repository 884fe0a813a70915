"""Task metrics off the training path: ``task.evaluate`` on a copy of the weights, on a
thread of its own, so that a slow evaluation (agreement's first takes seconds) never holds up
a training step or a packet. Used by rnncore.session; imports no Qt.

The evaluation shares the task object with the trainer: ``evaluate`` only reads the task
(and fills its held-out caches once), never the training stream.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np

from .model import Model


@dataclass
class Evaluated:
    """The outcome of one evaluation."""
    metrics: dict | None                 # None when it raised
    step: int                            # the optimizer step whose weights were evaluated
    seconds: float                       # how long it took
    error: str | None = None             # the exception, in words


class Evaluator:
    """At most one evaluation at a time, on a daemon thread; the session polls :meth:`take`."""

    def __init__(self):
        self._lock = threading.Lock()
        self._running = 0                # the generation of the evaluation under way (0: none)
        self._generation = 0
        self._done: Evaluated | None = None

    @property
    def busy(self) -> bool:
        """An evaluation is under way (its result not yet taken)."""
        with self._lock:
            return self._running != 0 or self._done is not None

    @property
    def ready(self) -> bool:
        with self._lock:
            return self._done is not None

    def start(self, task, model, step: int) -> bool:
        """Evaluate ``task`` on a copy of ``model`` (taken now, between steps); False if one is under way."""
        with self._lock:
            if self._running or self._done is not None:
                return False
            self._generation += 1
            self._running = generation = self._generation
        try:
            copy = Model(model.config, 0)
            copy.load_state_dict(model.state_dict())
        except ValueError as e:              # non-finite weights (a diverged run): said, not evaluated
            with self._lock:
                self._running, self._done = 0, Evaluated(None, step, 0.0, str(e))
            return True
        threading.Thread(target=self._evaluate, args=(task, copy, step, generation),
                         name="rnnscope-evaluate", daemon=True).start()
        return True

    def take(self) -> Evaluated | None:
        """The finished evaluation's outcome, once; None while it runs or when there is none."""
        with self._lock:
            done, self._done = self._done, None
            return done

    def cancel(self) -> None:
        """Forget the evaluation under way (a reset): its outcome is dropped when it ends."""
        with self._lock:
            self._running, self._done = 0, None

    def _evaluate(self, task, model, step, generation):
        t0 = time.perf_counter()
        try:
            with np.errstate(all="ignore"):
                out = Evaluated(task.evaluate(model, np.random.default_rng(0)), step, 0.0)
        except Exception as e:  # noqa: BLE001 - a metric bug must not stop training: said in words
            out = Evaluated(None, step, 0.0, f"{type(e).__name__}: {e}")
        out.seconds = time.perf_counter() - t0
        with self._lock:
            if self._running == generation:
                self._running, self._done = 0, out
