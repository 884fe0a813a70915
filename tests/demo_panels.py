"""Real data for panel tests and the screenshot gallery, without the real tasks.

``demo_state(cell, ...)`` trains a small model a few steps with rnncore's
Trainer on one of three miniature tasks (name tagging: many-to-many sigmoid;
agreement: many-to-one; reversal: encoder-decoder) and fills a DashboardState
exactly as the main window does (reset_run, add_snapshot, set_trace, set_metrics).
"""
from __future__ import annotations

import numpy as np

from rnncore import Batch, ModelConfig, TrainConfig
from rnncore.trainer import Trainer

_NAMES = ["harry", "potter", "hermione", "granger", "teddy", "roosevelt"]
_WORDS = ["and", "invented", "a", "new", "spell", "the", "bears", "are", "on", "sale", "was", "great"]


class _DemoTask:
    """The slice of rnncore.tasks.Task the panels use: describe() and metrics."""

    def __init__(self, kind):
        self.kind = kind
        if kind == "tagging":
            self.vocab = _NAMES + _WORDS
        elif kind == "agreement":
            self.vocab = ["the", "cat", "cats", "key", "keys", "which", "ate", "fish", "near", "was", "were"]
        else:
            self.vocab = [str(i) for i in range(6)]
        self.out_vocab = [str(i) for i in range(6)]

    def batch(self, rng, size, T=9):
        V = len(self.vocab)
        if self.kind == "tagging":
            x = rng.integers(0, V, (size, T))
            y = (x < len(_NAMES)).astype(float)[..., None]
            return Batch(x, y)
        if self.kind == "agreement":
            x = rng.integers(5, 9, (size, T))
            plural = rng.integers(0, 2, size)
            x[:, 0] = 0
            x[:, 1] = 1 + plural
            x[:, -1] = 9 + plural
            return Batch(x, plural.astype(float)[:, None])
        x = rng.integers(0, V, (size, 5))
        return Batch(x, x[:, ::-1].copy())

    def describe(self, batch, i=0):
        x = [self.vocab[int(v)] for v in np.asarray(batch.x)[i]]
        y = np.asarray(batch.y)[i]
        if self.kind == "tagging":
            ys = ["name" if v > 0.5 else "—" for v in y.reshape(-1)]
        elif self.kind == "agreement":
            ys = ["plural" if float(np.ravel(y)[0]) > 0.5 else "singular"]
        else:
            ys = [self.out_vocab[int(v)] for v in y]
        return {"x": x, "y": ys}

    def metrics(self):
        if self.kind == "agreement":
            return {"accuracy": 0.93, "accuracy_by_attractors": {0: 0.99, 1: 0.95, 2: 0.9, 3: 0.81},
                    "accuracy_by_distance": {2: 0.99, 4: 0.97, 6: 0.94, 8: 0.9, 10: 0.86}, "examples": 2000}
        if self.kind == "reverse":
            return {"exact_match": 0.42, "token_accuracy": 0.81,
                    "samples": ["3 1 4 1 5 → 5 1 4 1 3", "2 7 1 8 2 → 2 8 1 7 2"]}
        return {"token_accuracy": 0.97, "name_f1": 0.91, "loss": 1.23}


def demo_config(cell="lstm", bidirectional=False, layers=1, kind="tagging", hidden=8) -> ModelConfig:
    task = _DemoTask(kind)
    V = len(task.vocab)
    kw = dict(cell=cell, hidden_size=hidden, num_layers=layers, bidirectional=bidirectional,
              vocab_size=V, embedding_dim=0)
    if kind == "tagging":
        kw.update(shape="many-to-many", output="sigmoid", output_size=1)
    elif kind == "agreement":
        kw.update(shape="many-to-one", output="sigmoid", output_size=1)
    else:
        kw.update(shape="encoder-decoder", output="softmax", output_size=6, target_length=5)
    return ModelConfig(**kw)


def demo_state(cell="lstm", bidirectional=False, layers=1, kind="tagging", steps=30, hidden=8,
               clip_threshold=1.0, state=None):
    """A DashboardState filled from a real short training run."""
    from app.state import DashboardState

    task = _DemoTask(kind)
    mcfg = demo_config(cell, bidirectional, layers, kind, hidden)
    tcfg = TrainConfig(lr=0.05, clip="norm", clip_threshold=clip_threshold, batch_size=16, seed=1,
                       trace_every=max(steps // 3, 1))
    display = task.batch(np.random.default_rng(7), 1)
    trainer = Trainer.create(mcfg, tcfg, task, display)
    state = state or DashboardState()
    state.reset_run(task, mcfg, tcfg, display)
    for snap in trainer.run(steps):
        state.add_snapshot(snap)
    if state.trace is None:
        state.set_trace(trainer.trace_display(), display)
    state.set_metrics(task.metrics())
    return state
