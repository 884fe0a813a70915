"""Render every dashboard panel with real data offscreen and save PNGs.

    QT_QPA_PLATFORM=offscreen python bench/panels_gallery.py [outdir [panel ids ...]]
    QT_QPA_PLATFORM=offscreen python bench/panels_gallery.py --tasks [outdir [task names ...]]

One image per panel and configuration (cell × task shape, bidirectional, 2
layers), plus each panel with no run; with --tasks, each registered task of
rnncore.tasks trained a few steps with its own defaults, its metrics from
task.evaluate. Look at them: overlaps, unreadable labels, empty panels and wrong
scales show up here first.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.panels import PANELS  # noqa: E402
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))   # the demo runs live with the tests
from demo_panels import demo_state  # noqa: E402
from app.state import DashboardState  # noqa: E402

# cell, bidirectional, layers, task, clip threshold (small: clipping fires)
CONFIGS = [
    ("lstm", False, 1, "tagging", 1.0),
    ("rnn", False, 1, "agreement", 0.05),
    ("gru", True, 2, "tagging", 1.0),
    ("gru-simple", False, 1, "reverse", 1.0),
    ("lstm", True, 2, "agreement", 0.5),
]


def render(panel, path, size=(900, 560)):
    panel.resize(*size)
    panel.show()
    panel.refresh(force=True)
    QApplication.processEvents()
    panel.grab().save(str(path))
    panel.hide()


def main(out="bench/gallery", only=None):
    app = QApplication.instance() or QApplication(sys.argv[:1])
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    panels = [p for p in PANELS if not only or p.object_id in only]
    empty = DashboardState()
    for cls in panels:
        render(cls(empty), out / f"{cls.object_id}_empty.png")
    for cell, bi, layers, kind, clip in CONFIGS:
        state = demo_state(cell, bi, layers, kind, steps=60, clip_threshold=clip)
        state.set_cursor(3)
        tag = f"{cell}_{kind}{'_bi' if bi else ''}{'_l%d' % layers if layers > 1 else ''}"
        for cls in panels:
            render(cls(state), out / f"{cls.object_id}_{tag}.png")
    print(f"wrote {len(list(out.glob('*.png')))} images to {out}")
    app.quit()


def task_state(name, steps=40):
    """A DashboardState from a real task: its configs, its display example, its metrics."""
    import numpy as np

    from rnncore.tasks import make_task
    from rnncore.trainer import Trainer

    task = make_task(name)
    mcfg, tcfg = task.model_config(), task.train_config()
    example = task.display_example()
    trainer = Trainer.create(mcfg, tcfg, task, example)
    state = DashboardState()
    state.reset_run(task, mcfg, tcfg, example)
    for snap in trainer.run(steps):
        state.add_snapshot(snap)
    state.set_trace(trainer.trace_display(), example)
    state.set_metrics(task.evaluate(trainer.model, np.random.default_rng(0)))
    return state


def main_tasks(out="bench/gallery/tasks", names=None):
    from rnncore.tasks import TASKS

    app = QApplication.instance() or QApplication(sys.argv[:1])
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for name in names or sorted(TASKS):
        state = task_state(name)
        state.set_cursor(min(4, state.steps - 1))
        for cls in PANELS:
            render(cls(state), out / f"{name}_{cls.object_id}.png")
        print(name, "done", flush=True)
    app.quit()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--tasks"]:
        main_tasks(*(sys.argv[2:3] or []), names=sys.argv[3:] or None)
    else:
        main(*(sys.argv[1:2] or []), only=sys.argv[2:] or None)
