"""Issue 9: the window fits the screen it opens on. At 1366 × 768 it is inside the screen, no
dashboard panel is narrower than its minimum or a readable width, no dock title is cut, and
the insight tools open without squeezing a column (a squeezed layout is never saved)."""
import pytest
from PySide6.QtCore import QRect, QSettings

from app.bridge.worker import RunSpec
from app.window import docks, geometry
from app.window.main_window import MainWindow
from window_helpers import laptop_window

SCREENS = [(1366, 768), (1920, 1080)]


@pytest.fixture
def screen(monkeypatch, request):
    w, h = request.param
    monkeypatch.setattr(geometry, "available", lambda window: QRect(0, 0, w, h))
    monkeypatch.setattr(docks, "available", lambda window: QRect(0, 0, w, h))
    return w, h


def open_window(qtbot, tmp_path, task="agreement"):
    win, settings = laptop_window(qtbot, tmp_path, size=None)
    win.start_run(RunSpec(task=task, train={"batch_size": 8}))
    qtbot.waitUntil(lambda: win.state.trace is not None, timeout=20000)
    win.dock_set.size_docks()
    win.refresh_all()
    return win, settings


@pytest.mark.parametrize("task", ["agreement", "names", "dates"])
@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_the_window_fits_the_screen_and_every_panel_is_readable(qtbot, tmp_path, screen, task):
    win, _ = open_window(qtbot, tmp_path, task)
    sw, sh = screen
    g = win.frameGeometry()
    assert g.width() <= sw and g.height() <= sh and QRect(0, 0, sw, sh).contains(g)
    assert win.minimumWidth() <= sw and win.minimumHeight() <= sh
    by_id = dict(zip(win.dock_ids, win.docks))
    shown = [by_id[k] for k in geometry.DASHBOARD if by_id[k].isVisible() and not by_id[k].visibleRegion().isEmpty()]
    assert len(shown) >= 5
    for d in shown:
        assert d.width() >= max(d.minimumSizeHint().width(), geometry.READABLE_WIDTH), d.objectName()
        assert d.height() >= d.minimumSizeHint().height(), d.objectName()
        title = d.fontMetrics().horizontalAdvance(d.windowTitle())
        assert title + 40 <= d.width(), f"{d.windowTitle()!r} is cut in {d.width()} px"
        tabs = win.tabifiedDockWidgets(d)
        if tabs:                         # a column's tabs: every title whole, side by side
            need = sum(d.fontMetrics().horizontalAdvance(t.windowTitle()) + 30 for t in [d, *tabs])
            assert need <= d.width(), f"tabs {[t.windowTitle() for t in [d, *tabs]]} cut in {d.width()} px"
    assert geometry.squeezed(by_id) == []
    win.close()


@pytest.mark.parametrize("screen", [(1366, 768)], indirect=True)
def test_insight_tools_open_without_squeezing_and_a_squeezed_layout_is_not_saved(qtbot, tmp_path, screen,
                                                                                  monkeypatch):
    win, settings = open_window(qtbot, tmp_path)
    by_id = dict(zip(win.dock_ids, win.docks))
    for oid in ("units", "gradcheck", "trajectory"):
        by_id[oid].toggleViewAction().trigger()
        assert by_id[oid].isVisible() and by_id[oid].isFloating()
        assert QRect(0, 0, *screen).contains(by_id[oid].frameGeometry())
    assert geometry.squeezed(by_id) == []
    win.save_settings()
    assert settings.value("window_state") is not None
    settings.remove("window_state")
    from app.window import chrome
    monkeypatch.setattr(chrome, "squeezed", lambda docks: ["memory"])
    win.save_settings()
    assert settings.value("window_state") is None          # the squeezed layout is not kept
    win.close()


@pytest.mark.parametrize("screen", [(1366, 768)], indirect=True)
def test_a_layout_saved_on_a_bigger_screen_is_fitted_and_reset_layout_fits(qtbot, tmp_path, screen):
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    big = MainWindow("thread", settings=settings)
    qtbot.addWidget(big)
    big.setMinimumSize(0, 0)
    big.setGeometry(0, 0, 1680, 1050)
    big.save_settings()
    big.close()
    win = MainWindow("thread", settings=settings)
    qtbot.addWidget(win)
    assert win.width() <= screen[0] and win.height() <= screen[1]
    win.resize(1366, 768)        # larger than the available area less a frame
    from app.window.chrome import reset_layout
    win.show()
    reset_layout(win)
    assert geometry.inside_screen(win)
    win.close()


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_the_lesson_opens_without_squeezing_a_panel(qtbot, tmp_path, screen, monkeypatch):
    """At 1366 px a fifth column (the lesson) squeezed the four panels' titles and heatmaps: there
    it is a tab of the last column; on a wide screen it is a column of its own."""
    from app.window import lessons
    monkeypatch.setattr(lessons, "available", lambda window: QRect(0, 0, *screen))
    win, _ = open_window(qtbot, tmp_path)
    win.lessons.open(7)
    win.dock_set.size_docks()
    by_id = dict(zip(win.dock_ids, win.docks))
    dock = win.lessons.dock
    qtbot.waitUntil(lambda: dock.isVisible() and not dock.visibleRegion().isEmpty(), timeout=5000)
    assert geometry.squeezed(by_id) == []
    assert dock.width() >= 300 and not dock.isFloating()
    assert (by_id["flow"] in win.tabifiedDockWidgets(dock)) == (screen[0] < lessons.FIVE_COLUMNS)
    win.close()
