"""Render every insight panel (app/insight) with real data offscreen and save PNGs.

    QT_QPA_PLATFORM=offscreen python bench/insight_gallery.py [outdir]

One image per panel and configuration (cell × task shape, bidirectional, 2
layers), each after its background analyses finished: the unit inspector with
its top unit ablated, the gradient check run, the cell diagram in the middle of
a phased update. Plus each panel with no run. Look at them.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.insight import INSIGHT_PANELS  # noqa: E402
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))   # the demo runs live with the tests
from demo_insight import insight_state  # noqa: E402
from app.state import DashboardState  # noqa: E402

# task, cell, bidirectional, layers, training steps, hidden size
CONFIGS = [
    ("agreement", "lstm", False, 1, 300, 8),
    ("agreement", "rnn", False, 1, 150, 8),
    ("tagging", "gru", True, 2, 150, 6),
    ("reverse", "gru-simple", False, 1, 150, 6),
    ("agreement", "gru", True, 2, 150, 6),
]


def settle(app, panel, timeout=60.0):
    jobs = [getattr(panel, n) for n in ("jobs", "ranker", "evaluator") if hasattr(panel, n)]
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        app.processEvents()
        if not any(j.busy for j in jobs):
            break
        time.sleep(0.02)
    panel.refresh(force=True)
    app.processEvents()


def act(app, panel):
    """What a user would do first in each panel, so the picture shows it."""
    name = panel.object_id
    if name == "units" and panel.rows:
        panel.set_ablated(panel.rows[:1])
    elif name == "gradcheck":
        panel.run_check()
    elif name == "cell" and panel.state.model_config is not None:
        for _ in range(5 if panel.state.model_config.cell == "lstm" else 3):   # … → update, or → backprop
            panel.next_phase()
            settle(app, panel)
    settle(app, panel)


_KEEP = []   # panels stay alive until the end: a QWidget freed by Python's cycle collector can crash Qt


def render(app, panel, path, size=(900, 560)):
    _KEEP.append(panel)
    panel.resize(*size)
    panel.show()
    panel.refresh(force=True)
    settle(app, panel)
    act(app, panel)
    panel.grab().save(str(path))
    panel.hide()


def main(out="bench/insight_gallery"):
    app = QApplication.instance() or QApplication(sys.argv[:1])
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    empty = DashboardState()
    for cls in INSIGHT_PANELS:
        render(app, cls(empty), out / f"{cls.object_id}_empty.png")
    for kind, cell, bi, layers, steps, hidden in CONFIGS:
        state = insight_state(kind, cell, bi, layers, steps=steps, hidden=hidden)
        state.set_cursor(2)
        tag = f"{cell}_{kind}{'_bi' if bi else ''}{'_l%d' % layers if layers > 1 else ''}"
        for cls in INSIGHT_PANELS:
            render(app, cls(state), out / f"{cls.object_id}_{tag}.png")
            print(f"  {cls.object_id}_{tag}.png", flush=True)
    print(f"wrote {len(list(out.glob('*.png')))} images to {out}")
    app.quit()


if __name__ == "__main__":
    main(*sys.argv[1:2])
