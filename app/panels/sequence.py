"""Sequence strip: the example's tokens x<t>, targets y<t> and predictions ŷ<t>,
the current step highlighted; a click on a token moves the time cursor there.

Drawn with QPainter (one widget, no per-token items): a column per step, rows
x<t>, y<t>, ŷ<t> (built in ``sequence_rows``). ŷ<t> shows the predicted label with a bar of
the probability given to the target (green when the prediction is right, red when wrong).
An encoder-decoder gets two bands side by side, each with its own step numbers: the
encoder's x<1..T_x>, then the decoder's y<1..T_y> and ŷ<1..T_y>; the cursor sits in one.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QDockWidget, QHBoxLayout, QMainWindow, QScrollArea, QToolTip, QVBoxLayout, QWidget

from app import theme
from app.panels.base import Panel
from app.panels.common import Unchanged, label, set_text
from app.panels.sequence_rows import Cell, Row, answer_text, build_rows

__all__ = ["Cell", "Row", "SequencePanel", "Strip", "build_rows"]


# -- the painted strip ---------------------------------------------------------
@dataclass
class Band:
    """Rows on one time axis, with their own step numbers: an encoder-decoder has two side by side."""
    part: str
    rows: list
    xs: list                       # left edge of each column, and the right edge of the last
    left: int                      # where the band's row labels start


class Strip(QWidget):
    """Columns of tokens; emits ``clicked(t, part)`` (part: the band's time axis)."""

    clicked = Signal(int, str)
    LABEL_W = 64
    PAD = 10
    GAP = 28                        # between an encoder's band and its decoder's

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[Row] = []
        self.bands: list[Band] = []
        self.cursor, self.part = 0, ""
        self.setMouseTracking(True)
        self.tok_font = theme.font(theme.TOKEN_PT)
        self.small_font = theme.font(theme.TICK_PT)
        self.fm = QFontMetrics(self.tok_font)
        self.sfm = QFontMetrics(self.small_font)
        self.head_h = self.sfm.height() + 2
        self.tops = [self.head_h]          # top of each row of a band, and the bottom of the last
        self.label_w = self.LABEL_W        # the row names' column: as wide as the widest name

    @property
    def xs(self) -> list:
        return self.bands[0].xs if self.bands else [self.label_w]

    def row_height(self, row) -> int:
        two = any(c is not None and c.sub for c in row.cells)
        return self.fm.height() + 8 + (self.sfm.height() if two else 0)

    def set_rows(self, rows):
        self.rows, self.bands, left = rows, [], 0
        self.label_w = max([self.LABEL_W] + [self.fm.horizontalAdvance(r.name) + 14 for r in rows])
        for part in dict.fromkeys(r.part for r in rows):
            band_rows = [r for r in rows if r.part == part]
            xs = [left + self.label_w]                 # each column as wide as its widest token
            for col in range(max(len(r.cells) for r in band_rows)):
                cells = [r.cells[col] for r in band_rows if col < len(r.cells) and r.cells[col] is not None]
                widest = max((max(self.fm.horizontalAdvance(c.text), self.sfm.horizontalAdvance(c.sub))
                              for c in cells), default=0)
                xs.append(xs[-1] + int(min(max(widest + 2 * self.PAD + 6, 44), 190)))
            self.bands.append(Band(part, band_rows, xs, left))
            left = xs[-1] + self.GAP
        # bands side by side share the row tops: the i-th row of each band at the same height
        self.tops = [self.head_h]
        for i in range(max((len(b.rows) for b in self.bands), default=0)):
            self.tops.append(self.tops[-1] + max(self.row_height(b.rows[i]) for b in self.bands if i < len(b.rows)))
        self.setMinimumSize(self.sizeHint())
        self.updateGeometry()
        self.update()

    def sizeHint(self):
        right = self.bands[-1].xs[-1] if self.bands else self.label_w
        return QSize(right + 8, max(self.tops[-1] + 4, 60))

    def band_at(self, x) -> int | None:
        for i, b in enumerate(self.bands):
            if b.left <= x < b.xs[-1]:
                return i
        return None

    def column_at(self, x, band: int | None = None):
        band = self.band_at(x) if band is None else band
        if band is None:
            return None
        xs = self.bands[band].xs
        c = int(np.searchsorted(xs, x, side="right")) - 1
        return c if 0 <= c < len(xs) - 1 else None

    def col_span(self, c, band: int = 0) -> tuple[int, int]:
        """(left, width) of column c of a band."""
        xs = self.bands[band].xs
        return xs[c], xs[c + 1] - xs[c]

    def cursor_band(self) -> int | None:
        """The band the cursor is in: the one on the state's axis (the only one, for one axis)."""
        for i, b in enumerate(self.bands):
            if b.part in ("", self.part):
                return i
        return 0 if self.bands else None

    def row_at(self, y):
        for i in range(len(self.tops) - 1):
            if self.tops[i] <= y < self.tops[i + 1]:
                return i
        return None

    def cell_rect(self, band, row, col) -> QRect:
        left, w = self.col_span(col, band)
        return QRect(left + 2, self.tops[row] + 2, w - 4, self.tops[row + 1] - self.tops[row] - 4)

    def paintEvent(self, ev):
        qp = QPainter(self)
        qp.setRenderHint(QPainter.Antialiasing)
        qp.fillRect(self.rect(), QColor(theme.BACKGROUND))
        if not self.rows:
            qp.setFont(self.tok_font)
            qp.setPen(QColor(theme.MUTED))
            qp.drawText(self.rect(), Qt.AlignCenter, "No example yet: start a run to see x<t>, y<t> and ŷ<t>.")
            return
        cb = self.cursor_band()
        for bi, band in enumerate(self.bands):
            n = len(band.xs) - 1
            if bi == cb and 0 <= self.cursor < n:          # the cursor column, on its own axis only
                left, w = self.col_span(self.cursor, bi)
                r = QRect(left, 0, w, self.tops[len(band.rows)] + 2)
                qp.fillRect(r, theme.CURSOR_FILL)
                qp.setPen(QPen(QColor(theme.CURSOR), 2.5))
                qp.drawRect(r.adjusted(1, 1, -1, -1))
            qp.setFont(self.small_font)         # step numbers of this axis (the notes count from 1)
            qp.setPen(QColor(theme.MUTED))
            for c in range(n):
                left, w = self.col_span(c, bi)
                qp.drawText(QRect(left, 0, w, self.head_h), Qt.AlignCenter, f"{c + 1}")
            for i, row in enumerate(band.rows):
                self._paint_row(qp, bi, i, row)
        qp.end()

    def _paint_row(self, qp, bi, i, row):
        qp.setFont(self.tok_font)
        qp.setPen(QColor(theme.FOREGROUND))
        qp.drawText(QRect(self.bands[bi].left + 2, self.tops[i], self.label_w - 10, self.tops[i + 1] - self.tops[i]),
                    Qt.AlignVCenter | Qt.AlignRight, row.name)
        for c, cell in enumerate(row.cells):
            if cell is None or not cell.text:
                continue
            rect = self.cell_rect(bi, i, c)
            if cell.bar is not None:
                col = QColor(theme.ACCENT if cell.good is None else theme.GOOD if cell.good else theme.BAD)
                bg = QColor(col)
                bg.setAlpha(40)
                qp.fillRect(rect, bg)
                h = int(round(np.clip(cell.bar, 0, 1) * rect.height()))
                col.setAlpha(170)
                qp.fillRect(QRect(rect.left(), rect.bottom() - h + 1, 7, h), col)
            else:
                qp.fillRect(rect, QColor(0, 0, 0, 12))
            if cell.odd or cell.flag:   # read as the oov token: dashed; a token the task marks: solid
                qp.setPen(QPen(QColor(theme.BAD if cell.odd else theme.ACCENT), 1.5 if cell.odd else 2.5,
                               Qt.PenStyle.DashLine if cell.odd else Qt.PenStyle.SolidLine))
                qp.drawRect(rect.adjusted(1, 1, -1, -1))
            qp.setPen(QColor(theme.FOREGROUND))
            inner = rect.adjusted(8, 1, -2, -1)
            text = self.fm.elidedText(cell.text, Qt.ElideRight, inner.width())
            if cell.sub:
                top = QRect(inner.left(), inner.top(), inner.width(), self.fm.height() + 2)
                qp.drawText(top, Qt.AlignCenter, text)
                qp.setFont(self.small_font)
                qp.setPen(QColor("#555555"))
                qp.drawText(QRect(inner.left(), top.bottom(), inner.width(), inner.bottom() - top.bottom()),
                            Qt.AlignHCenter | Qt.AlignTop, cell.sub)
                qp.setFont(self.tok_font)
            else:
                qp.drawText(inner, Qt.AlignCenter, text)

    def _cell_at(self, pos):
        bi = self.band_at(pos.x())
        c = self.column_at(pos.x(), bi) if bi is not None else None
        r = self.row_at(pos.y())
        return bi, c, r

    def mousePressEvent(self, ev):
        bi, c, _ = self._cell_at(ev.position())
        if c is not None and ev.button() == Qt.LeftButton:
            self.clicked.emit(c, self.bands[bi].part)

    def mouseMoveEvent(self, ev):
        bi, c, r = self._cell_at(ev.position())
        rows = self.bands[bi].rows if bi is not None else []
        if c is None or r is None or r >= len(rows) or c >= len(rows[r].cells) or rows[r].cells[c] is None:
            QToolTip.hideText()
            return
        tip = rows[r].cells[c].tip
        if tip:
            QToolTip.showText(ev.globalPosition().toPoint() + QPoint(12, 12), theme.tip(tip), self)


class SequencePanel(Panel):
    title = "Sequence x<t>, y<t>, ŷ<t>"
    object_id = "sequence"

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.summary = label("")
        lay.addWidget(self.summary)
        self.strip = Strip()
        self.strip.clicked.connect(lambda t, part: self.state.set_cursor(t, part or None))
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.strip)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.NoFrame)
        row = QHBoxLayout()
        row.addWidget(self.scroll, 1)
        self.answer = label("")                 # a many-to-one's y and ŷ, in view when the strip scrolls
        self.answer.setVisible(False)
        row.addWidget(self.answer)
        lay.addLayout(row)
        lay.addStretch(1)
        self._fitted = 0
        self._unchanged = Unchanged()
        self.state.cursor_changed.connect(self.set_cursor)

    def set_cursor(self, t: int):
        strip = self.strip
        strip.cursor, strip.part = t, self.state.part
        strip.update()
        b = strip.cursor_band()
        if b is not None and 0 <= t < len(strip.bands[b].xs) - 1:
            left, w = strip.col_span(t, b)
            self.scroll.ensureVisible(left + w // 2, 0, w, 0)

    def redraw(self):
        st = self.state
        if self._unchanged(st.trace, st.example, st.task, st.model_config, st.typed):   # new trace or example only
            return
        rows, _, summary = build_rows(self.state)
        self.strip.set_rows(rows)
        set_text(self.answer, answer_text(rows))
        set_text(self.summary, summary or "No run yet.")
        self.fit_rows()
        self.set_cursor(self.state.cursor)

    def fit_rows(self):
        """Every row in view (never ŷ behind a scroll bar on a laptop) and no blank band below
        them on a big screen: the strip's scroll area is as tall as its rows (and a horizontal
        scroll bar when they are wider than the panel)."""
        bar = self.scroll.horizontalScrollBar().sizeHint().height()
        wide = self.strip.sizeHint().width() > self.scroll.width()
        h = self.strip.sizeHint().height() + (bar if wide else 0)
        tops = self.strip.tops                   # x, y and ŷ always in view; a fourth row may scroll
        self.scroll.setMinimumHeight(min(h, tops[min(3, len(tops) - 1)] + 4 + (bar if wide else 0)))
        self.scroll.setMaximumHeight(h)
        self.answer.setVisible(wide and bool(self.answer.text()))
        lay = self.layout()
        m = lay.contentsMargins()
        text = self.summary.heightForWidth(max(self.width() - m.left() - m.right(), 100))   # its lines at this width
        need = m.top() + m.bottom() + text + lay.spacing() + h
        dock = self.parentWidget()
        win = dock.parentWidget() if dock is not None else None
        if need == self._fitted or not self.strip.rows:
            return
        self._fitted = need
        self.updateGeometry()
        if isinstance(dock, QDockWidget) and isinstance(win, QMainWindow) and not dock.isFloating():
            # the dock as tall as its rows, once per change
            want = need + dock.widget().y()
            win.resizeDocks([dock], [want], Qt.Orientation.Vertical)
            if dock.height() > want + 8:         # the top area keeps its space: cap it for a moment
                dock.setMaximumHeight(want)
                QTimer.singleShot(0, dock, lambda: dock.setMaximumHeight(16777215))

    def sizeHint(self):
        """As tall as the rows (the dock layout sizes the strip's dock by it), a placeholder's before."""
        return QSize(super().sizeHint().width(), self._fitted or 170)

    def resizeEvent(self, ev):
        super().resizeEvent(ev)
        self.fit_rows()
