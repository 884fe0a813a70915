"""Start the Qt application (the window arrives with the dashboard issue)."""
from __future__ import annotations


def run_gui(argv: list[str]) -> int:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication(["rnnscope", *argv])
    label = QLabel("RNN Scope: the dashboard is being built. Use rnncore from Python meanwhile.")
    label.setMargin(24)
    label.show()
    return app.exec()
