"""The window's files (issue 9, 'Files'): exports hold the dashboard's panels and a caption only;
an opened run shows its task metrics; unsaved training is never lost without a question."""
import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QImage

from app import exporting
from app.bridge.worker import RunSpec
from app.window.unsaved import CANCEL, DISCARD, SAVE, must_ask
from tests.window_helpers import laptop_window

SMALL = {"hidden_size": 8}
FAST = {"batch_size": 8}


@pytest.fixture
def window(qtbot, tmp_path):
    win, _ = laptop_window(qtbot, tmp_path, size=(1366, 740))
    yield win
    win.close()


def start(qtbot, win, task="names", **kw):
    assert win.start_run(RunSpec(task=task, model={**SMALL, **kw.pop("model", {})}, train=FAST, **kw))
    qtbot.waitUntil(lambda: win.state.trace is not None, timeout=20000)


def steps(qtbot, win, n):
    target = win.step + n
    win.worker.step_once(n)
    qtbot.waitUntil(lambda: win.step >= target and win.state.history.n > 0, timeout=20000)


def test_dashboard_export_is_the_panels_and_a_caption(qtbot, window, tmp_path):
    start(qtbot, window)
    steps(qtbot, window, 3)
    window.show_banner("an error banner that must not be exported", kind="error")
    window.refresh_all()
    rect = window.files.panels_rect()
    for chrome in (window.menuWidget(), window.toolbar, window.time_bar.parentWidget(), window.statusBar()):
        assert chrome.isVisible() and not rect.intersects(chrome.geometry()), chrome
    from PySide6.QtWidgets import QTabBar
    tab_bars = [t.isVisible() for t in window.findChildren(QTabBar)]
    png = window.export_dashboard(tmp_path / "dash.png")
    assert [t.isVisible() for t in window.findChildren(QTabBar)] == tab_bars, "the export changed the window"
    image = QImage(str(png))
    assert (image.width(), image.height()) == (rect.width(), rect.height() + exporting.CAPTION_HEIGHT)
    assert image.height() < window.height() - window.toolbar.height()
    caption = image.copy(QRect(0, 0, image.width() // 2, exporting.CAPTION_HEIGHT))
    dark = sum(caption.pixelColor(x, y).lightness() < 100
               for x in range(caption.width()) for y in range(caption.height()))
    assert dark > 50, "the caption line has no text drawn in it"
    text = window.files.caption()
    assert "step 3" in text and "GRU" not in text and "LSTM" in text and "loss" in text
    if exporting.svg_available():
        svg = window.export_dashboard(tmp_path / "dash.svg").read_text()
        assert "step 3" in svg and window.state.task.title.split()[0] in svg
        assert f'width="{rect.width()}' in svg.replace("mm", "") or str(rect.width()) in svg


def test_an_opened_run_shows_its_metrics_at_once(qtbot, window, tmp_path):
    start(qtbot, window)
    steps(qtbot, window, 3)
    window.worker.evaluate()
    qtbot.waitUntil(lambda: bool(window.state.metrics) and not window.state.evaluating, timeout=30000)
    before = dict(window.state.metrics)
    path = str(tmp_path / "run.npz")
    window.worker.save(path)
    qtbot.waitUntil(lambda: window.run_path == path, timeout=20000)
    assert window.open_run(path)
    qtbot.waitUntil(lambda: window.state.trace is not None and bool(window.state.metrics), timeout=20000)
    assert window.state.metrics.keys() == before.keys() and window.state.metrics_step == 3
    panel = next(p for p in window.panels if p.object_id == "metrics")
    panel.refresh(force=True)
    assert "step 3" in panel.head.text() and "no metrics" not in panel.head.text()


# -- the unsaved-changes question -----------------------------------------------------------------
def test_the_decision_asks_only_for_training_not_saved():
    assert must_ask(True, True, True, 5, 0)
    assert not must_ask(True, True, True, 5, 5)            # saved (or opened) at this step
    assert not must_ask(False, True, True, 5, 0)           # tests, --screenshot, a TERM signal
    assert not must_ask(True, False, True, 5, 0)           # imported weights: nothing trains
    assert not must_ask(True, True, False, 5, 0)           # no run


def asking(window, *answers):
    """Enable the question and answer it with ``answers`` in turn, then Discard (pytest-qt closes the
    window before the fixture's teardown); → the list of questions asked."""
    asked, answers = [], list(answers)
    window.unsaved.enabled = True
    window.unsaved.ask = lambda w, step, saved, what: (asked.append((step, saved, what))
                                                       or (answers.pop(0) if answers else DISCARD))
    return asked


def test_close_asks_and_cancel_keeps_the_window(qtbot, window):
    start(qtbot, window)
    steps(qtbot, window, 2)
    asked = asking(window, CANCEL, DISCARD)
    window.close()
    assert window.isVisible() and window.worker.running and asked == [(2, 0, "close the window")]
    window.close()
    assert not window.isVisible() and not window.worker.running and len(asked) == 2


def test_close_with_save_writes_the_run_first(qtbot, window, tmp_path, monkeypatch):
    start(qtbot, window)
    steps(qtbot, window, 2)
    path = tmp_path / "kept.npz"
    monkeypatch.setattr(window.files, "ask_save_path", lambda: str(path))
    asked = asking(window, SAVE)
    window.close()
    assert len(asked) == 1 and not window.isVisible() and path.exists()
    from rnncore.runs import load_run
    assert load_run(path).step == 2


def test_nothing_is_asked_when_nothing_would_be_lost(qtbot, window, tmp_path):
    start(qtbot, window)
    asked = asking(window)                                  # no answers: asking would fail
    assert window.start_task("names", model=SMALL, train=FAST)     # step 0: nothing trained
    qtbot.waitUntil(lambda: window.state.trace is not None, timeout=20000)
    steps(qtbot, window, 2)
    path = str(tmp_path / "r.npz")
    window.worker.save(path)
    qtbot.waitUntil(lambda: window.run_path == path, timeout=20000)
    assert window.open_run(path)                            # saved at step 2: nothing to lose
    qtbot.waitUntil(lambda: window.state.trace is not None, timeout=20000)
    window.close()
    assert asked == [] and not window.isVisible()


def test_new_run_asks_and_cancel_keeps_the_run(qtbot, window, monkeypatch):
    import app.window.main_window as mw
    start(qtbot, window)
    steps(qtbot, window, 2)

    class Dialog:                                           # File › New run, answered OK
        def __init__(self, *a, **kw):
            pass

        def exec(self):
            return 1

        def spec(self):
            return RunSpec(task="adding", model=SMALL, train=FAST)
    monkeypatch.setattr(mw, "NewRunDialog", Dialog)
    asked = asking(window, CANCEL, DISCARD)
    window.new_run()
    assert window.task.name == "names" and window.step == 2 and len(asked) == 1
    window.new_run()
    assert window.task.name == "adding" and asked[1][2] == "start another run"


def test_open_asks_and_cancel_keeps_the_run(qtbot, window, tmp_path):
    start(qtbot, window)
    steps(qtbot, window, 2)
    path = str(tmp_path / "r.npz")
    window.worker.save(path)
    qtbot.waitUntil(lambda: window.run_path == path, timeout=20000)
    steps(qtbot, window, 1)                                 # trained on since the save
    asked = asking(window, CANCEL)
    assert not window.open_run(path)
    assert window.step == 3 and window.worker.running and asked == [(3, 2, "start another run")]


def test_an_empty_heatmap_settles(qtbot):
    """'no data yet' must not take part in the view's autorange: its size depends on the view, so it
    kept the empty gates and memory heatmaps repainting for seconds after launch (no frame drawn)."""
    from pyqtgraph.widgets.GraphicsView import GraphicsView
    from app.panels.heatmap import Heatmap
    hm = Heatmap()
    qtbot.addWidget(hm)
    hm.resize(400, 200)
    hm.show()
    assert hm.empty not in hm.plot.getPlotItem().vb.addedItems
    paints = []
    hm.plot.paintEvent = lambda ev: paints.append(1) or GraphicsView.paintEvent(hm.plot, ev)
    qtbot.waitUntil(lambda: len(paints) > 0, timeout=5000)
    for _ in range(20):
        qtbot.wait(0)          # turns of the event loop, no time waited
        from PySide6.QtWidgets import QApplication
        QApplication.processEvents()
    assert len(paints) <= 3, f"{len(paints)} repaints of an empty heatmap with nothing changing"


def test_the_metrics_panel_says_evaluating_and_the_step(qtbot):
    from app.panels.metrics import MetricsPanel
    from app.state import DashboardState
    from rnncore.session import Packet
    state = DashboardState()
    panel = MetricsPanel(state)
    qtbot.addWidget(panel)
    state.apply(Packet(evaluating=True))
    panel.refresh()
    assert "evaluating" in panel.head.text()
    state.apply(Packet(metrics={"accuracy": 0.958}, metrics_step=1200, evaluating=False))
    panel.refresh()
    assert "step 1,200" in panel.head.text() and "evaluating" not in panel.head.text()
    assert "95.8 %" in panel.table.text()
