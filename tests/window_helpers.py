"""A main window for the issue-9 GUI tests: training on a thread, its own settings file, a laptop size."""
from PySide6.QtCore import QSettings

from app.window.main_window import MainWindow


def laptop_window(qtbot, tmp_path, size=(1366, 740)):
    """→ (window, settings), shown; the caller starts a run and closes it."""
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    win = MainWindow("thread", settings=settings)
    qtbot.addWidget(win)
    if size:
        win.resize(*size)
    win.show()
    return win, settings
