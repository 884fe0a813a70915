"""Sequence strip: the example's tokens x<t>, targets y<t> and predictions ŷ<t>,
the current step highlighted; a click on a token moves the time cursor there.

Drawn with QPainter (one widget, no per-token items): a column per step, rows
x<t>, y<t>, ŷ<t>. ŷ<t> shows the predicted label with a bar of the probability
given to the target (green when the prediction is right, red when wrong).
Many-to-one models predict once, under the last token; encoder-decoder models
get a source row (T_x) and target rows (T_y).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QCoreApplication, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QScrollArea, QToolTip, QVBoxLayout, QWidget

from app import theme
from app.panels.base import Panel
from app.panels.common import Unchanged, describe as _describe, fmt, label, set_text, shape_of


@dataclass
class Cell:
    text: str = ""
    tip: str = ""
    sub: str = ""                  # small second line (a probability)
    bar: float | None = None       # 0..1: probability drawn as a bar
    good: bool | None = None       # right / wrong / unknown
    odd: bool = False              # a typed token the vocabulary lacks (read as the task's oov token)


@dataclass
class Row:
    name: str                      # row label in the notes' notation
    cells: list = field(default_factory=list)   # Cell or None (empty column)


# -- turning the state into rows ---------------------------------------------
def _fallback_tokens(x) -> list[str]:
    x = np.asarray(x)
    if x.ndim == 1 and np.issubdtype(x.dtype, np.integer):
        return [str(int(v)) for v in x]
    if x.ndim == 1:                                   # one start vector (one-to-many)
        return ["[" + " ".join(f"{v:.2g}" for v in x[:4]) + (" …]" if x.size > 4 else "]")]
    return [" ".join(f"{v:.2g}" for v in row[:3]) + (" …" if row.size > 3 else "") for row in x]


def _predicted_batch(example, outputs, cfg):
    """A copy of ``example`` whose y holds the predictions, in y's own format."""
    from rnncore import Batch
    y = np.asarray(example.y)
    if cfg.output == "softmax":
        pred = outputs.argmax(-1)                     # (T_y,)
    elif cfg.output == "sigmoid":
        pred = (outputs > 0.5).astype(float)          # (T_y, O)
    else:
        pred = outputs.copy()
    try:
        pred = pred.reshape(y.shape[1:]) if pred.size == int(np.prod(y.shape[1:])) else None
    except ValueError:
        pred = None
    if pred is None:
        return None
    return Batch(example.x, pred[None].astype(y.dtype), example.x_lengths, example.y_lengths)


def _x_cells(xs, typed) -> list[Cell]:
    """x<t> cells; a typed token the vocabulary lacks shows as typed, marked (``typed.unknown``
    are in order, each read as ``typed.oov``)."""
    unknown = list(typed.unknown) if typed is not None else []
    cells = []
    for t, s in enumerate(xs):
        if unknown and s == typed.oov:
            word = unknown.pop(0)
            tip = QCoreApplication.translate("SequencePanel", "x<{t}> = {word}: not in the vocabulary, read as {oov}")
            cells.append(Cell(word, tip.format(t=t + 1, word=word, oov=typed.oov), odd=True))
        else:
            cells.append(Cell(s, f"x<{t + 1}> = {s}"))
    return cells


def build_rows(state):
    """(rows, steps_of_input, summary) for the current state."""
    tr, ex, cfg, task = state.trace, state.example, state.model_config, state.task
    if tr is None:
        return [], 0, ""
    shape = shape_of(state)
    T_x = int(tr.lengths[0]) if tr.lengths.size else 0
    out = np.asarray(tr.outputs)[:, 0, :]             # (T_y, O)
    if shape == "many-to-many":
        out = out[:T_x]
    T_y = out.shape[0]
    d = _describe(task, ex) or {}
    xs = list(d.get("x") or (_fallback_tokens(np.asarray(ex.x)[0]) if ex is not None else []))
    if shape not in ("one-to-one", "one-to-many"):
        xs = xs[:T_x] + [""] * (T_x - len(xs))
    ys = list(d.get("y") or [])
    pd = _describe(task, _predicted_batch(ex, out, cfg)) if (ex is not None and cfg is not None) else None
    pred_text = list((pd or {}).get("y") or [])
    output = cfg.output if cfg is not None else ("softmax" if out.shape[-1] > 1 else "sigmoid")
    typed = getattr(state, "typed", None)
    known = typed is None or typed.target_known          # no known answer: predictions only
    y_arr = np.asarray(ex.y)[0] if ex is not None and known else None
    loss = None if tr.loss is None else np.asarray(tr.loss)[:, 0]

    pred_cells, n_right, n_known = [], 0, 0
    for t in range(T_y):
        p = out[t]
        target = None
        if y_arr is not None:
            try:
                target = y_arr.reshape(T_y, -1)[t] if y_arr.size else None
            except ValueError:
                target = None
        if output == "softmax":
            k = int(p.argmax())
            txt = pred_text[t] if t < len(pred_text) else str(k)
            tip = f"ŷ<{t + 1}>: " + ", ".join(f"{i}: {p[i]:.3f}" for i in np.argsort(p)[::-1][:3])
            bar, good = float(p[k]), None
            if target is not None:
                j = int(target[0])
                bar, good = float(p[j]), k == j
                tip += f"\nP(target {j}) = {p[j]:.4f}"
            sub = f"{p[k]:.2f}"
        elif output == "sigmoid":
            on = p > 0.5
            txt = pred_text[t] if t < len(pred_text) else ("1" if on.all() else "0")
            # the probability of the label shown (P(ŷ = 1) is in the tooltip)
            sub = f"{(p[0] if on[0] else 1 - p[0]):.2f}" if p.size == 1 else ""
            tip = f"ŷ<{t + 1}> = " + ", ".join(f"{v:.4f}" for v in p)
            bar, good = float(p.max()), None
            if target is not None:
                tgt = target.astype(float)
                bar = float(np.mean(np.where(tgt > 0.5, p, 1 - p)))   # probability of the target
                good = bool(np.all(on == (tgt > 0.5)))
                tip += f"\nP(target) = {bar:.4f}"
        else:
            txt = pred_text[t] if t < len(pred_text) else ", ".join(f"{v:.3g}" for v in p[:3])
            sub = ""
            tip = f"ŷ<{t + 1}> = " + ", ".join(f"{v:.4f}" for v in p)
            bar, good = None, None
            if target is not None:
                tip += "\ny = " + ", ".join(f"{float(v):.4f}" for v in np.ravel(target))
        if loss is not None and t < loss.size:
            tip += f"\nL<{t + 1}> = {loss[t]:.4f}"
        if good is not None:
            n_known += 1
            n_right += int(good)
        pred_cells.append(Cell(txt, tip, sub, bar, good))
    y_cells = [Cell(ys[t] if t < len(ys) else "", f"y<{t + 1}> = {ys[t]}" if t < len(ys) else "")
               for t in range(T_y)]
    x_cells = _x_cells(xs, typed)

    rows = []
    if shape == "many-to-one" or shape == "one-to-one":
        n = max(len(x_cells), 1)
        pad = [None] * (n - 1)
        rows = [Row("x<t>", x_cells), Row("y", pad + y_cells[-1:]), Row("ŷ", pad + pred_cells[-1:])]
    elif shape == "encoder-decoder":
        rows = [Row("x<t>", x_cells), Row("y<t>", y_cells), Row("ŷ<t>", pred_cells)]
    elif shape == "one-to-many":
        rows = [Row("x", x_cells[:1]), Row("y<t>", y_cells), Row("ŷ<t>", pred_cells)]
    else:
        rows = [Row("x<t>", x_cells), Row("y<t>", y_cells), Row("ŷ<t>", pred_cells)]
    if not known:                                     # a stand-in y is no target: not drawn, not scored
        rows = [r for r in rows if not r.name.startswith("y")]
    summary = f"T_x = {T_x}" + (f", T_y = {T_y}" if shape in ("encoder-decoder", "one-to-many") else "")
    if loss is not None:
        summary += f",  L = Σ L<t> = {fmt(float(np.nansum(loss[:T_y])))}"
    if shape in ("many-to-one", "one-to-one") and pred_cells:
        last, yl = pred_cells[-1], y_cells[-1].text if y_cells and known else ""
        summary += f",  ŷ = {last.text}" + (f" ({last.sub})" if last.sub else "") + (f", y = {yl}" if yl else "")
        if last.good is not None:
            summary += ": right" if last.good else ": wrong"
    elif n_known:
        summary += f",  right: {n_right}/{n_known}"
    return rows, T_x, summary


# -- the painted strip ---------------------------------------------------------
class Strip(QWidget):
    """Columns of tokens; emits ``clicked(t)``."""

    clicked = Signal(int)
    LABEL_W = 64
    PAD = 10

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[Row] = []
        self.cursor = 0
        self.setMouseTracking(True)
        self.tok_font = theme.font(theme.TOKEN_PT)
        self.small_font = theme.font(theme.TICK_PT)
        self.fm = QFontMetrics(self.tok_font)
        self.sfm = QFontMetrics(self.small_font)
        self.xs = [self.LABEL_W]            # left edge of each column, and the right edge of the last
        self.head_h = self.sfm.height() + 6
        self.tops = [self.head_h]          # top of each row, and the bottom of the last

    def row_height(self, row) -> int:
        two = any(c is not None and c.sub for c in row.cells)
        return self.fm.height() + 16 + (self.sfm.height() if two else 0)

    def set_rows(self, rows):
        self.rows = rows
        # each column as wide as its widest token: short words stay compact
        self.xs = [self.LABEL_W]
        for col in range(max((len(r.cells) for r in rows), default=0)):
            cells = [r.cells[col] for r in rows if col < len(r.cells) and r.cells[col] is not None]
            widest = max((max(self.fm.horizontalAdvance(c.text), self.sfm.horizontalAdvance(c.sub))
                          for c in cells), default=0)
            self.xs.append(self.xs[-1] + int(min(max(widest + 2 * self.PAD + 6, 48), 190)))
        self.tops = [self.head_h]
        for r in rows:
            self.tops.append(self.tops[-1] + self.row_height(r))
        self.setMinimumSize(self.sizeHint())
        self.updateGeometry()
        self.update()

    def n_cols(self):
        return max((len(r.cells) for r in self.rows), default=0)

    def sizeHint(self):
        return QSize(self.xs[-1] + 8, max(self.tops[-1] + 4, 90))

    def column_at(self, x):
        c = int(np.searchsorted(self.xs, x, side="right")) - 1
        return c if 0 <= c < len(self.xs) - 1 else None

    def col_span(self, c) -> tuple[int, int]:
        """(left, width) of column c."""
        return self.xs[c], self.xs[c + 1] - self.xs[c]

    def row_at(self, y):
        for i in range(len(self.rows)):
            if self.tops[i] <= y < self.tops[i + 1]:
                return i
        return None

    def cell_rect(self, row, col) -> QRect:
        left, w = self.col_span(col)
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
        n = len(self.xs) - 1
        if 0 <= self.cursor < n:           # the cursor column, over the rows only
            left, w = self.col_span(self.cursor)
            r = QRect(left, 0, w, self.tops[-1] + 2)
            qp.fillRect(r, theme.CURSOR_FILL)
            qp.setPen(QPen(QColor(theme.CURSOR), 2.5))
            qp.drawRect(r.adjusted(1, 1, -1, -1))
        qp.setFont(self.small_font)         # step numbers (the notes count from 1)
        qp.setPen(QColor(theme.MUTED))
        for c in range(n):
            left, w = self.col_span(c)
            qp.drawText(QRect(left, 0, w, self.head_h), Qt.AlignCenter, f"{c + 1}")
        for i, row in enumerate(self.rows):
            qp.setFont(self.tok_font)
            qp.setPen(QColor(theme.FOREGROUND))
            qp.drawText(QRect(2, self.tops[i], self.LABEL_W - 10, self.tops[i + 1] - self.tops[i]),
                        Qt.AlignVCenter | Qt.AlignRight, row.name)
            for c, cell in enumerate(row.cells):
                if cell is None or not cell.text:
                    continue
                rect = self.cell_rect(i, c)
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
                if cell.odd:                # read as the out-of-vocabulary token: a dashed frame
                    qp.setPen(QPen(QColor(theme.BAD), 1.5, Qt.PenStyle.DashLine))
                    qp.drawRect(rect.adjusted(1, 1, -1, -1))
                qp.setPen(QColor(theme.FOREGROUND))
                inner = rect.adjusted(8, 2, -2, -2)
                text = self.fm.elidedText(cell.text, Qt.ElideRight, inner.width())
                if cell.sub:
                    top = QRect(inner.left(), inner.top(), inner.width(), self.fm.height() + 4)
                    qp.drawText(top, Qt.AlignCenter, text)
                    qp.setFont(self.small_font)
                    qp.setPen(QColor("#555555"))
                    qp.drawText(QRect(inner.left(), top.bottom(), inner.width(), inner.bottom() - top.bottom()),
                                Qt.AlignHCenter | Qt.AlignTop, cell.sub)
                    qp.setFont(self.tok_font)
                else:
                    qp.drawText(inner, Qt.AlignCenter, text)
        qp.end()

    def mousePressEvent(self, ev):
        c = self.column_at(ev.position().x())
        if c is not None and ev.button() == Qt.LeftButton:
            self.clicked.emit(c)

    def mouseMoveEvent(self, ev):
        pos = ev.position()
        c = self.column_at(pos.x())
        r = self.row_at(pos.y())
        if c is None or r is None or c >= len(self.rows[r].cells) or self.rows[r].cells[c] is None:
            QToolTip.hideText()
            return
        tip = self.rows[r].cells[c].tip
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
        self.strip.clicked.connect(self.state.set_cursor)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.strip)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.NoFrame)
        lay.addWidget(self.scroll, 1)
        self._unchanged = Unchanged()
        self.state.cursor_changed.connect(self.set_cursor)

    def set_cursor(self, t: int):
        self.strip.cursor = t
        self.strip.update()
        if 0 <= t < len(self.strip.xs) - 1:
            left, w = self.strip.col_span(t)
            self.scroll.ensureVisible(left + w // 2, 0, w, 0)

    def redraw(self):
        st = self.state
        if self._unchanged(st.trace, st.example, st.task, st.model_config):   # new trace or example only
            return
        rows, _, summary = build_rows(self.state)
        self.strip.set_rows(rows)
        set_text(self.summary, summary or "No run yet.")
        self.set_cursor(self.state.cursor)
