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


def fed_its_own_answer(model, reading):
    """A typed Reading with no known answer, for a model whose decoder is fed y<t-1> (teacher
    forcing): its y becomes the model's own greedy answer, so the trace shows what the model
    writes when it runs freely instead of what it writes when fed a made-up stand-in.
    Other readings (and a missing model) are returned as they are."""
    if reading.target_known or model is None or model.config.shape not in ("one-to-many", "encoder-decoder"):
        return reading
    from dataclasses import replace

    from .generate import greedy
    b = reading.batch
    y = greedy(model, b.x, b.x_lengths)[:, :np.asarray(b.y).shape[1]]
    return replace(reading, batch=Batch(b.x, y.astype(np.asarray(b.y).dtype), b.x_lengths, b.y_lengths))


def running_predictions(trace, weights, config) -> np.ndarray | None:
    """A many-to-one model's ŷ at every step (T_x, O): its head applied to the top layer's a<t>,
    the answer it would give if the sequence stopped at t (the trace itself has ŷ at T_x only).
    None for other shapes, a bidirectional model (its ←a<t> has read the whole sequence) or no weights."""
    if config is None or config.shape != "many-to-one" or config.bidirectional or weights is None \
            or trace is None or "rnn" not in trace.parts:
        return None
    from .functional import output_activation
    a = np.asarray(trace.parts["rnn"][-1][0]["a"])[:, 0, :]            # (T, H)
    T = int(trace.lengths[0]) if trace.lengths.size else a.shape[0]
    return output_activation(config.output, a[:T] @ weights["head.W"] + weights["head.b"])


def sample_melody(model, example, rng: np.random.Generator) -> np.ndarray | None:
    """One sequence a one-to-many model writes from ``example``'s x when each ŷ<t> is drawn from its
    distribution and fed back (temperature 1), ids (T_y,); None for other shapes or no model."""
    if model is None or model.config.shape != "one-to-many":
        return None
    from .generate import generate
    return np.array(generate(model, np.asarray(example.x)[:1], temperature=1.0, rng=rng)[0], np.intp)
