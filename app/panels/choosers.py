"""The part / layer / direction chooser the panels share."""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from app import theme
from app.i18n import translate
from app.panels.common import CELL_NAMES, DIR_NAMES, PART_NAMES, structure

#: app/panels/common.py's part and direction names, marked for pyside6-lupdate (translated where shown)
_NAMES = (QT_TRANSLATE_NOOP("Panel", "encoder"), QT_TRANSLATE_NOOP("Panel", "decoder"),
          QT_TRANSLATE_NOOP("Panel", "→ forward"), QT_TRANSLATE_NOOP("Panel", "← backward"),
          QT_TRANSLATE_NOOP("Panel", "Vanilla RNN"), QT_TRANSLATE_NOOP("Panel", "Simplified GRU"))


def cell_name(cell: str) -> str:
    """A cell's name (app/panels/common.py's CELL_NAMES) in the interface's language."""
    return translate("Panel", CELL_NAMES.get(cell, cell))


class PartChooser(QWidget):
    """Combo boxes for part (encoder / decoder), layer and direction. Repopulated
    only when the model's structure changes; emits ``changed`` on user choice."""

    changed = Signal()

    def __init__(self, parts=True, layers=True, directions=True, parent=None):
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.part = QComboBox()
        self.layer = QComboBox()
        self.direction = QComboBox()
        for box, show in ((self.part, parts), (self.layer, layers), (self.direction, directions)):
            box.setFont(theme.font())
            box.setVisible(False)
            box.setProperty("wanted", show)
            box.currentIndexChanged.connect(self._on_change)
            lay.addWidget(box)
        lay.addStretch(1)
        self._structure = None
        self._quiet = False

    def _on_change(self, _i):
        if not self._quiet:
            self.changed.emit()

    def update_structure(self, trace):
        s = structure(trace)
        if s == self._structure:
            return
        self._structure = s
        self._quiet = True
        parts = [p for p, _, _ in s]
        self.part.clear()
        for p in parts:
            self.part.addItem(translate("Panel", PART_NAMES.get(p) or p), p)
        nl = max((n for _, n, _ in s), default=1)
        nd = max((d for _, _, d in s), default=1)
        self.layer.clear()
        for l in range(nl):
            self.layer.addItem(translate("Panel", "layer [{n}]").format(n=l + 1), l)
        self.direction.clear()
        for d in range(nd):
            self.direction.addItem(translate("Panel", DIR_NAMES[d]), d)
        self.part.setVisible(bool(self.part.property("wanted")) and len(parts) > 1)
        self.layer.setVisible(bool(self.layer.property("wanted")) and nl > 1)
        self.direction.setVisible(bool(self.direction.property("wanted")) and nd > 1)
        self._quiet = False

    def selection(self, trace):
        """(part, layer, direction) valid for ``trace`` (clamped), or None."""
        if trace is None:
            return None
        parts = list(trace.parts)
        p = self.part.currentData() if self.part.currentData() in parts else parts[0]
        layers = trace.parts[p]
        l = min(self.layer.currentData() or 0, len(layers) - 1)
        d = min(self.direction.currentData() or 0, len(layers[l]) - 1)
        return p, l, d

    def describe(self, trace) -> str:
        sel = self.selection(trace)
        if sel is None:
            return ""
        p, l, d = sel
        bits = []
        if len(trace.parts) > 1:
            bits.append(PART_NAMES.get(p) or p)
        if len(trace.parts[p]) > 1:
            bits.append(translate("Panel", "layer [{n}]").format(n=l + 1))
        if len(trace.parts[p][l]) > 1:
            bits.append("→" if d == 0 else "←")
        return ", ".join(bits)
