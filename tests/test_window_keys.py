"""Issue 9: Space, S, R and the arrows act on training and time only when the sentence box does
not have focus; Esc and Enter leave the box; typing (a burst too) never triggers a command;
Reset restores weights and data only, never the user's learning rate or clipping."""
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.bridge.worker import RunSpec
from window_helpers import laptop_window


@pytest.fixture
def window(qtbot, tmp_path):
    win, _ = laptop_window(qtbot, tmp_path)
    qtbot.waitExposed(win)
    win.start_run(RunSpec(task="agreement", model={"hidden_size": 8}, train={"batch_size": 8}))
    qtbot.waitUntil(lambda: win.state.trace is not None, timeout=20000)
    yield win
    win.close()


def focus_box(qtbot, win):
    box = win.time_bar.input
    box.setFocus()
    qtbot.waitUntil(box.hasFocus, timeout=3000)
    return box


def key(qtbot, win, k):
    target = QApplication.focusWidget() or win
    qtbot.keyClick(target, k)


def test_the_box_does_not_start_with_focus_and_s_steps(qtbot, window):
    assert not window.time_bar.input.hasFocus()
    key(qtbot, window, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: window.step == 1, timeout=10000)


def test_a_burst_of_typing_never_triggers_a_command(qtbot, window):
    box = focus_box(qtbot, window)
    qtbot.keyClicks(box, "s r s r s r  harry met ron s")
    qtbot.keyClick(box, Qt.Key.Key_Left)
    qtbot.keyClick(box, Qt.Key.Key_Home)
    assert box.text() == "s r s r s r  harry met ron s"
    assert window.state.cursor == 0 and box.cursorPosition() == 0      # the arrows moved the text cursor
    assert not window.worker.playing and window.step == 0


def test_esc_leaves_the_box_then_keys_act(qtbot, window):
    box = focus_box(qtbot, window)
    qtbot.keyClicks(box, "harry")
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert not box.hasFocus() and box.text() == "harry"
    key(qtbot, window, Qt.Key.Key_Right)
    assert window.state.cursor == 1                                    # → moved t
    key(qtbot, window, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: window.step == 1, timeout=10000)
    assert box.text() == "harry"


def test_enter_reads_the_sentence_and_leaves_the_box(qtbot, window):
    box = focus_box(qtbot, window)
    qtbot.keyClicks(box, "the cats that the dog sees were")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert not box.hasFocus()
    key(qtbot, window, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: window.step == 1, timeout=10000)
    assert box.text() == "the cats that the dog sees were"


def test_reset_keeps_the_learning_rate_and_clipping_none(qtbot, window):
    tb = window.toolbar
    tb.clip_mode.setCurrentIndex(tb.clip_mode.findData("none"))
    tb.lr.setValue(0.004)
    tb.step_action.trigger()
    qtbot.waitUntil(lambda: window.step == 1, timeout=10000)
    tb.reset_action.trigger()
    qtbot.waitUntil(lambda: window.step == 0 and window.state.history.total_steps == 0, timeout=10000)
    tb.step_action.trigger()
    qtbot.waitUntil(lambda: window.step == 1 and window.state.snapshot is not None, timeout=10000)
    snap = window.state.snapshot
    assert snap.clip == "none" and tb.clip() == "none"
    assert tb.lr.value() == pytest.approx(0.004)
    assert window.state.history.arrays()["clip_fraction"][-1] == 0.0     # the panel agrees: nothing clipped


def test_the_reading_status_clears_and_reset_clears_the_box(qtbot, window):
    box = focus_box(qtbot, window)
    qtbot.keyClicks(box, "the cats which ate the fish were")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    msg = window.time_bar.input_message
    qtbot.waitUntil(lambda: "showing your sequence" in msg.text(), timeout=20000)
    window.toolbar.reset_action.trigger()
    qtbot.waitUntil(lambda: box.text() == "" and msg.text() == "", timeout=20000)
