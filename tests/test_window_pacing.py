"""Issue 9: ▶ pauses at the lesson's budget with a "Keep training" banner; a watch speed; the
loss panel keeps tiny per-step losses visible (log scale)."""
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import Qt

from app.bridge.worker import RunSpec
from app.panels.loss import tiny_losses
from app.window.controls import SPEEDS
from window_helpers import laptop_window


@pytest.fixture
def window(qtbot, tmp_path):
    win, _ = laptop_window(qtbot, tmp_path)
    yield win
    win.close()


def test_play_pauses_at_the_budget_with_a_keep_training_banner(qtbot, window):
    window.start_run(RunSpec(task="agreement", model={"hidden_size": 8}, train={"batch_size": 8}, budget=12))
    qtbot.waitUntil(lambda: window.state.trace is not None, timeout=20000)
    window.toolbar.play_action.trigger()
    qtbot.waitUntil(lambda: window.banner_bar.action.isVisible(), timeout=30000)
    assert window.step == 12 and not window.worker.playing and not window.toolbar.play_action.isChecked()
    assert "Reached 12 steps" in window.banner.text() and window.banner_bar.action.text() == "Keep training"
    qtbot.mouseClick(window.banner_bar.action, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.step == 24 and not window.worker.playing, timeout=30000)


def test_a_watch_speed_beside_full_speed():
    speeds = dict(SPEEDS)
    assert speeds["full speed"] == 0.0
    assert any(label.startswith("watch") and 10 <= v <= 60 for label, v in SPEEDS)


def test_tiny_per_step_losses_are_drawn_on_a_log_scale(qtbot, window):
    assert tiny_losses(np.array([1e-9, 3e-8, 2e-9])) and not tiny_losses(np.array([0.7, 0.3, 0.5]))
    window.start_run(RunSpec(task="agreement", model={"hidden_size": 8}, train={"batch_size": 8}))
    qtbot.waitUntil(lambda: window.state.trace is not None, timeout=20000)
    panel = next(p for p in window.panels if p.object_id == "loss")
    assert panel.log.isChecked()         # the training curve starts on a log scale
    tr = window.state.trace
    window.state.trace = replace(tr, loss=np.full_like(np.asarray(tr.loss, float), 1e-9))
    panel._unchanged = lambda *a: False
    panel.refresh(force=True)
    assert panel.bars_log and panel.bars_plot.getPlotItem().getAxis("left").logMode
    assert np.all(np.asarray(panel.bars.opts["height"]) > 0)       # visible bars, not zero-height ones
