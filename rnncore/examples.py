"""The display examples a user steps through (◀ ▶ random): 0 is the task's own (the notes'
sentence); the others are drawn with a fixed seed, so example i is always the same one.
A run without a task (imported weights) gets random inputs of 12 steps."""
from __future__ import annotations

import numpy as np

from .data import Batch


class DisplayExamples:
    """Example i of a run, drawn once and kept."""

    def __init__(self, task, model_config, seed: int = 0):
        self.task, self.model_config, self.seed = task, model_config, seed
        self._drawn: dict[int, Batch] = {}

    def get(self, i: int) -> Batch | None:
        """Example i (a Batch of one), or None when there is none to draw."""
        if i not in self._drawn:
            rng = np.random.default_rng([self.seed, 7, i])
            if self.task is not None:
                self._drawn[i] = self.task.display_example() if i == 0 else self.task.batch(rng, 1)
            elif self.model_config is None or i == 0:
                return None
            else:
                cfg, T = self.model_config, 12
                self._drawn[i] = Batch(rng.standard_normal((1, T, cfg.input_size)), np.zeros((1, T, cfg.output_size)))
        return self._drawn[i]

    @staticmethod
    def index(current: int, kind: str) -> int:
        """The example after ``current`` for a press of previous / next / random."""
        if kind == "random":
            return int(np.random.default_rng().integers(1, 10_000))
        return {"previous": max(current - 1, 0), "next": current + 1}.get(kind, current)
