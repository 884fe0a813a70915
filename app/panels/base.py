"""The contract every panel follows.

- Build plot items once in ``__init__``; in ``refresh`` only call ``setData`` /
  ``setImage`` (with fixed levels) / ``setText``: never rebuild items per frame.
- ``refresh`` is called by the one UI clock (~30 Hz) only while the panel is
  visible, and only when ``state.version`` changed or the cursor moved.
- Read only from ``self.state`` (app.state.DashboardState). Never touch the worker.
- React to ``state.cursor_changed`` by moving the time-cursor line (cheap).
- A panel must draw something sensible with no run, no trace, any cell
  (rnn, gru-simple, gru, lstm), bidirectional, and 2 layers.
"""
from __future__ import annotations

from PySide6.QtWidgets import QWidget


class Panel(QWidget):
    title = ""          # dock title, in the notes' notation (e.g. "Gates Γ<t>")
    object_id = ""      # stable id for QSettings layout (e.g. "gates")

    def __init__(self, state, parent=None):
        super().__init__(parent)
        self.state = state
        self.setObjectName(self.object_id)
        self._drawn_version = -1

    def refresh(self, force: bool = False) -> None:
        """Redraw from state if it changed since the last draw."""
        if force or self._drawn_version != self.state.version:
            self._drawn_version = self.state.version
            self.redraw()

    def redraw(self) -> None:
        raise NotImplementedError

    # -- an encoder-decoder's two time axes (panels with a PartChooser as ``self.chooser``) --------
    def sync_axis(self) -> None:
        """Show the part (encoder / decoder) whose axis the shared cursor is on; call it after
        ``chooser.update_structure``, before reading ``chooser.selection``."""
        box = self.chooser.part
        i = box.findData(self.state.part) if self.state.part else -1
        if i >= 0 and i != box.currentIndex():
            self.chooser._quiet = True           # this redraw reads the new choice itself
            box.setCurrentIndex(i)
            self.chooser._quiet = False

    def choose_axis(self, i: int) -> None:
        """The user picked encoder or decoder here: the shared cursor moves to that axis."""
        part = self.chooser.part.itemData(i)
        if self.state.part and part in ("enc", "dec"):
            self.state.set_cursor(self.state.cursor, part)
