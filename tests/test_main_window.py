"""The main window: a short run trains and closes cleanly, the cursor reaches every panel,
typed input is read or refused in words, runs save and open, pictures and data export."""
import numpy as np
import pytest
from PySide6.QtCore import QSettings, QtMsgType

from app.window.dialogs import NewRunDialog, equations_html
from app.window.main_window import MainWindow
from app.bridge.worker import RunSpec

# the offscreen platform cannot resize native windows; not a problem of ours
BENIGN = ("propagateSizeHints",)
SMALL = {"hidden_size": 8}
FAST = {"batch_size": 8}


def qt_warnings(qtlog):
    return [r.message for r in qtlog.records
            if r.type in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
            and not any(b in r.message for b in BENIGN)]


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, settings):
    win = MainWindow("process", settings=settings)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    yield win
    win.close()


def wait_step(qtbot, win, n, timeout=20000):
    qtbot.waitUntil(lambda: win.step >= n and win.state.trace is not None, timeout=timeout)


def start(qtbot, win, task="names", **kw):
    assert win.start_run(RunSpec(task=task, model={**SMALL, **kw.pop("model", {})}, train=FAST, **kw))
    qtbot.waitUntil(lambda: win.state.trace is not None, timeout=20000)


def test_new_run_dialog_short_run_trains_and_closes_without_qt_warnings(qtbot, qtlog, settings):
    win = MainWindow("process", settings=settings)
    qtbot.addWidget(win)
    win.show()
    dlg = NewRunDialog(win, task="names")
    qtbot.addWidget(dlg)
    dlg.cell.setCurrentIndex(dlg.cell.findData("gru"))
    dlg.hidden.setValue(8)
    dlg.batch.setValue(8)
    assert dlg.validate(), dlg.problem.text()
    assert win.start_run(dlg.spec())
    win.toolbar.play_action.trigger()                  # Space
    qtbot.waitUntil(lambda: win.step >= 10, timeout=20000)
    win.toolbar.play_action.trigger()
    qtbot.waitUntil(lambda: not win.worker.playing, timeout=5000)
    qtbot.wait(100)
    assert win.state.history.total_steps >= 10 and win.state.model_config.cell == "gru"
    assert win.clock.frames > 0, "the UI clock never drew"
    win.close()
    assert not win.worker.running
    assert qt_warnings(qtlog) == []


def test_dialog_explains_an_invalid_combination(qtbot):
    dlg = NewRunDialog(None, task="melody")          # one-to-many: generates, cannot be bidirectional
    qtbot.addWidget(dlg)
    dlg.bidirectional.setChecked(True)
    assert not dlg.validate()
    assert "bidirectional" in dlg.problem.text()
    assert not dlg.buttons.button(dlg.buttons.StandardButton.Ok).isEnabled()
    dlg.bidirectional.setChecked(False)
    assert dlg.validate() and dlg.problem.text() == ""


def test_one_step_key_and_reset(qtbot, window):
    start(qtbot, window)
    window.toolbar.step_action.trigger()               # S
    wait_step(qtbot, window, 1)
    assert window.step == 1
    first = window.state.snapshot.loss
    window.toolbar.step_action.trigger()
    wait_step(qtbot, window, 2)
    window.toolbar.reset_action.trigger()              # R
    qtbot.waitUntil(lambda: window.step == 0 and window.state.history.total_steps == 0, timeout=10000)
    window.toolbar.step_action.trigger()
    wait_step(qtbot, window, 1)
    qtbot.waitUntil(lambda: window.state.snapshot is not None, timeout=5000)
    assert window.state.snapshot.loss == first          # same initial weights, same data


def test_moving_the_cursor_updates_every_panel(qtbot, window):
    start(qtbot, window)
    window.worker.step_once(3)
    wait_step(qtbot, window, 3)
    window.refresh_all()
    st = window.state
    assert st.steps > 2
    st.set_cursor(0)
    window.refresh_all()
    before = {p.object_id: p.grab().toImage() for p in window.panels}
    st.set_cursor(st.steps - 1)
    window.refresh_all()
    after = {p.object_id: p.grab().toImage() for p in window.panels}
    # the dashboard's panels (app.panels.PANELS); metrics and gradient norms are over training
    # steps, not over the example's t
    from app.panels import PANELS
    timed = {cls.object_id for cls in PANELS} - {"metrics", "gradnorm"}
    assert timed <= set(before)
    unchanged = [k for k in sorted(timed) if before[k] == after[k]]
    assert unchanged == [], f"panels that did not follow the cursor: {unchanged}"
    assert window.time_bar.slider.value() == st.steps - 1
    assert f"t = {st.steps} / {st.steps}" in window.time_bar.t_label.text()


def test_typed_input_unknown_token_is_named_and_known_text_is_read(qtbot, window):
    start(qtbot, window, task="agreement")
    assert window.read_text("the zzqx cats were")            # read, zzqx as <pad> (tests/test_sentence_box.py)
    assert "zzqx" in window.time_bar.input_message.text()
    assert "not in the vocabulary" in window.time_bar.input_message.text()
    old = window.state.example
    assert window.read_text("the cats which ate the fish were full")
    qtbot.waitUntil(lambda: window.state.example is not old, timeout=10000)
    assert window.time_bar.example_label.text() == "your sequence"


def test_examples_next_previous(qtbot, window):
    start(qtbot, window)
    first = window.state.example
    window.time_bar.example_requested.emit("next")
    qtbot.waitUntil(lambda: window.state.example is not first, timeout=10000)
    assert window.time_bar.example_label.text() == "example 1"
    window.time_bar.example_requested.emit("previous")
    qtbot.waitUntil(lambda: window.time_bar.example_label.text() == "the notes' example", timeout=10000)


def test_save_then_open_restores_the_same_view(qtbot, window, tmp_path, settings):
    start(qtbot, window, model={"cell": "lstm"})
    window.worker.step_once(4)
    wait_step(qtbot, window, 4)
    path = tmp_path / "run.npz"
    with qtbot.waitSignal(window.worker.replied, timeout=10000) as saved:
        window.worker.save(str(path))
    assert saved.args == ["save", str(path)]
    window.worker.request_trace()
    qtbot.waitUntil(lambda: window.state.trace is not None, timeout=5000)
    hist = window.state.history.arrays()
    gates = window.state.trace.flat()

    other = MainWindow("process", settings=settings)
    qtbot.addWidget(other)
    other.show()
    try:
        assert other.open_run(str(path))
        qtbot.waitUntil(lambda: other.state.trace is not None and other.step == 4, timeout=20000)
        assert other.state.model_config == window.state.model_config
        for k, v in hist.items():
            np.testing.assert_array_equal(other.state.history.arrays()[k], v)
        for k, v in other.state.trace.flat().items():
            np.testing.assert_allclose(v, gates[k], rtol=1e-6, atol=1e-7)
        assert str(path) in other.files._recent()
        other.update_status(force=True)
        assert other.status_labels["step"].text() == "step 4"
    finally:
        other.close()


def test_a_bad_run_file_is_a_message(qtbot, window, tmp_path):
    start(qtbot, window)
    bad = tmp_path / "broken.npz"
    bad.write_bytes(b"not a zip")
    assert not window.open_run(str(bad))
    assert "broken.npz" in window.banner.text()
    assert window.worker.running            # the current run goes on


def test_exports(qtbot, window, tmp_path):
    from app import exporting
    start(qtbot, window)
    window.worker.step_once(2)
    wait_step(qtbot, window, 2)
    window.refresh_all()
    png = window.export_dashboard(tmp_path / "dash.png")
    assert png and png.stat().st_size > 10_000
    if exporting.svg_available():
        svg = exporting.export_picture(window.panels[0], tmp_path / "panel.svg")
        assert svg.read_text().lstrip().startswith("<?xml")
    csv = exporting.export_history_csv(window.state.history, tmp_path / "h.csv")
    assert csv.read_text().splitlines()[0].startswith("step,loss")
    npz = exporting.export_trace_npz(window.state.trace, tmp_path / "t.npz", window.state.example, window.files._tokens())
    with np.load(npz) as z:
        assert "rnn.l0.fwd.gamma_f" in z.files and "tokens" in z.files
    with pytest.raises(exporting.ExportError, match="png or .svg"):
        exporting.export_picture(window, tmp_path / "x.gif")


def test_equations_show_values_at_t(qtbot, window):
    start(qtbot, window, model={"cell": "lstm"})
    window.state.set_cursor(1)
    text = equations_html(window.state)
    assert "Γf" in text and "c̃&lt;t&gt;" in text or "c̃<t>" in text
    assert "t = 2" in text and "[+" in text or "[-" in text
    window.show_equations()
    assert window._equations.isVisible()


def test_layout_and_bools_survive_a_restart(qtbot, settings):
    win = MainWindow("thread", settings=settings)
    qtbot.addWidget(win)
    win.show()
    dock = win.docks[-1]
    dock.hide()
    win.show_equations()
    win.close()
    again = MainWindow("thread", settings=settings)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again._equations is not None, timeout=3000)   # the bool came back as a bool
    assert not again.docks[-1].isVisible() and again.docks[0].isVisible()
    again.close()


def test_divergence_pauses_and_says_so_in_words(qtbot, window):
    assert window.start_run(RunSpec(factory="worker_factories:diverging"))
    qtbot.waitUntil(lambda: window.worker.running and window.state.trace is not None, timeout=20000)
    window.toolbar.play_action.trigger()
    qtbot.waitUntil(lambda: "Training stopped" in window.banner.text(), timeout=20000)
    assert "last finite" in window.banner.text() and "learning rate" in window.banner.text()
    qtbot.waitUntil(lambda: not window.toolbar.play_action.isChecked(), timeout=5000)


def test_closing_mid_run_stops_the_trainer(qtbot, settings):
    win = MainWindow("process", settings=settings)
    qtbot.addWidget(win)
    win.show()
    assert win.start_run(RunSpec(factory="worker_factories:tiny"))
    qtbot.waitUntil(lambda: win.step == 0 and win.state.trace is not None, timeout=20000)
    win.worker.play()
    qtbot.waitUntil(lambda: win.step > 5, timeout=20000)
    proc = win.worker._proc
    win.close()
    assert not win.worker.running and not proc.is_alive() and proc.exitcode == 0


def test_import_pytorch_weights_shows_the_model_without_training(qtbot, window, tmp_path):
    rng = np.random.default_rng(0)
    H, D = 5, 3
    path = tmp_path / "lstm.npz"
    np.savez(path, weight_ih_l0=rng.standard_normal((4 * H, D)), weight_hh_l0=rng.standard_normal((4 * H, H)),
             bias_ih_l0=rng.standard_normal(4 * H), bias_hh_l0=rng.standard_normal(4 * H))
    assert window.import_weights(str(path))
    qtbot.waitUntil(lambda: window.state.trace is not None, timeout=20000)
    assert window.state.model_config.cell == "lstm" and window.state.model_config.hidden_size == H
    assert not window.toolbar.play_action.isEnabled()
    assert not window.read_text("hello")
    assert "no task" in window.time_bar.input_message.text()
    old = window.state.example
    window.time_bar.example_requested.emit("next")
    qtbot.waitUntil(lambda: window.state.example is not old, timeout=10000)


def test_keys_go_to_the_text_box_while_typing(qtbot, window):
    from PySide6.QtCore import Qt
    start(qtbot, window)
    box = window.time_bar.input
    box.setFocus()
    qtbot.waitUntil(box.hasFocus, timeout=3000)
    qtbot.keyClicks(box, "harry s r")
    assert box.text() == "harry s r"
    assert not window.worker.playing and window.step == 0      # Space, S and R were typed, not obeyed
    window.time_bar.slider.setFocus()
    qtbot.waitUntil(window.time_bar.slider.hasFocus, timeout=3000)
    qtbot.keyClick(window.time_bar.slider, Qt.Key.Key_End)
    assert window.state.cursor == window.state.steps - 1


def test_race_opens_from_the_training_menu_on_the_current_task(qtbot, window):
    start(qtbot, window, "teddy")
    window.open_race()
    race = window._race
    assert race is not None and race.spec.task == "teddy" and race.isVisible()
    race.toggle()                                       # play
    qtbot.waitUntil(lambda: race.rounds >= 2, timeout=30000)
    window.close()
    assert not race.isVisible()
    qtbot.waitUntil(lambda: not race.running, timeout=5000)
