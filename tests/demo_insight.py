"""Real data for the insight panels' tests and gallery: a short real training run
filling a DashboardState as the main window does, weights included.

``insight_state(kind, cell, ...)``: kind "agreement" is the real agreement task
(rnncore.tasks) with short sentences; "tagging" and "reverse" are the panel demo
tasks of tests/demo_panels.py (many-to-many and encoder-decoder).
"""
from __future__ import annotations

import numpy as np

from rnncore import TrainConfig
from rnncore.trainer import Trainer

SMALL_AGREEMENT = {"distance": "3-6", "test_distance": "7-9", "attractors": "0-1", "eval_per_cell": 2}


def insight_state(kind="agreement", cell="lstm", bidirectional=False, layers=1, steps=30, hidden=6,
                  task_options=None, state=None):
    from app.state import DashboardState
    from demo_panels import _DemoTask, demo_config

    if kind == "agreement":
        from rnncore.tasks import make_task
        task = make_task("agreement", **{**SMALL_AGREEMENT, **(task_options or {})})
        mcfg = task.model_config(cell=cell, hidden_size=hidden, num_layers=layers, bidirectional=bidirectional,
                                 embedding_dim=6, dtype="float64")
        tcfg = task.train_config(batch_size=32, seed=1, lr=0.02)
        display = task.display_example()
    else:
        task = _DemoTask(kind)
        mcfg = demo_config(cell, bidirectional, layers, kind, hidden)
        tcfg = TrainConfig(lr=0.05, clip="norm", clip_threshold=1.0, batch_size=16, seed=1)
        display = task.batch(np.random.default_rng(7), 1)
    trainer = Trainer.create(mcfg, tcfg, task, display)
    state = state or DashboardState()
    state.reset_run(task, mcfg, tcfg, display)
    for snap in trainer.run(steps):
        state.add_snapshot(snap)
    state.set_trace(trainer.trace_display(), display)
    state.set_weights(_frozen(trainer.model.state_dict()))
    state.trainer = trainer            # tests and the gallery train on from here
    return state


def _frozen(weights):
    for v in weights.values():
        v.flags.writeable = False
    return weights
