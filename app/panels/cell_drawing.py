"""The drawing of a cell in the notes' symbols: node layouts per kind of cell (σ boxes,
tanh boxes, ⊙ + 1− circles, states and inputs) and the QGraphicsView that draws them once
and then only changes texts and fills (used by app/panels/diagram.py)."""
from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView

from app import theme

BOX_W, BOX_H, OP_R = 104, 54, 17
GATE_COLOURS = {"sigma": QColor("#dbe4ff"), "tanh": QColor("#ffe8cc")}

# name → (kind, x, y, symbol). kinds: sigma / tanh (boxes), op (circles), io (a state or input), dot (junction)
_LSTM = {
    "c_prev": ("io", 40, 70, "c<t-1>"), "a_prev": ("io", 40, 370, "a<t-1>"), "x": ("io", 130, 445, "x<t>"),
    "mf": ("op", 210, 70, "⊙"), "plus": ("op", 420, 70, "+"), "jc": ("dot", 640, 70, ""),
    "c": ("io", 780, 70, "c<t>"), "mu": ("op", 420, 165, "⊙"), "tc": ("op", 640, 165, "tanh"),
    "mo": ("op", 640, 270, "⊙"), "a": ("io", 780, 270, "a<t>"),
    "gamma_f": ("sigma", 210, 270, "σ  Γf"), "gamma_u": ("sigma", 335, 270, "σ  Γu"),
    "c_tilde": ("tanh", 470, 270, "tanh  c̃"), "gamma_o": ("sigma", 570, 370, "σ  Γo"),
    "b0": ("dot", 130, 370, ""), "b1": ("dot", 210, 370, ""), "b2": ("dot", 335, 370, ""), "b3": ("dot", 470, 370, ""),
}
_LSTM_EDGES = [("c_prev", "mf"), ("gamma_f", "mf"), ("mf", "plus"), ("plus", "jc", 0), ("jc", "c"), ("jc", "tc"),
               ("tc", "mo"), ("gamma_o", "mo"), ("mo", "a"), ("gamma_u", "mu"), ("c_tilde", "mu"), ("mu", "plus"),
               ("a_prev", "b0", 0), ("x", "b0", 0), ("b0", "b1", 0), ("b1", "b2", 0), ("b2", "b3", 0),
               ("b3", "gamma_o"), ("b1", "gamma_f"), ("b2", "gamma_u"), ("b3", "c_tilde")]

_GRU = {
    "c_prev": ("io", 40, 70, "c<t-1> = a<t-1>"), "x": ("io", 150, 445, "x<t>"), "j0": ("dot", 90, 70, ""),
    "m1": ("op", 250, 70, "⊙"), "plus": ("op", 500, 70, "+"), "c": ("io", 760, 70, "c<t> = a<t>"),
    "one_minus": ("op", 250, 165, "1−"), "mu": ("op", 500, 165, "⊙"),
    "gamma_u": ("sigma", 250, 270, "σ  Γu"), "gamma_r": ("sigma", 380, 270, "σ  Γr"),
    "mr": ("op", 620, 370, "⊙"), "c_tilde": ("tanh", 620, 270, "tanh  c̃"),
    "b0": ("dot", 90, 370, ""), "bx": ("dot", 150, 370, ""), "b1": ("dot", 250, 370, ""), "b2": ("dot", 380, 370, ""),
}
_GRU_EDGES = [("c_prev", "j0", 0), ("j0", "m1"), ("m1", "plus"), ("plus", "c"), ("gamma_u", "one_minus"),
              ("one_minus", "m1"), ("gamma_u", "mu"), ("c_tilde", "mu"), ("mu", "plus"),
              ("j0", "b0", 0), ("b0", "bx", 0), ("x", "bx", 0), ("bx", "b1", 0), ("b1", "b2", 0), ("b2", "mr"),
              ("b1", "gamma_u"), ("b2", "gamma_r"), ("gamma_r", "mr"), ("mr", "c_tilde")]

_SGRU = {k: v for k, v in _GRU.items() if k not in ("gamma_r", "mr", "b2")}
_SGRU["b2"] = ("dot", 620, 370, "")
_SGRU_EDGES = [e for e in _GRU_EDGES if "gamma_r" not in e[:2] and "mr" not in e[:2] and e[:2] != ("b1", "b2")] + \
    [("b1", "b2", 0), ("b2", "c_tilde")]

_RNN = {
    "a_prev": ("io", 40, 230, "a<t-1>"), "x": ("io", 260, 430, "x<t>"), "j": ("dot", 260, 230, ""),
    "a_pre": ("tanh", 460, 230, "g = tanh"), "a": ("io", 740, 230, "a<t>"),
}
_RNN_EDGES = [("a_prev", "j", 0), ("x", "j", 0), ("j", "a_pre"), ("a_pre", "a")]

LAYOUTS = {"lstm": (_LSTM, _LSTM_EDGES), "gru": (_GRU, _GRU_EDGES), "gru-simple": (_SGRU, _SGRU_EDGES),
           "rnn": (_RNN, _RNN_EDGES)}

def _text_item(scene, text, pt, colour=theme.FOREGROUND, bold=False):
    it = scene.addText("")
    it.setDefaultTextColor(QColor(colour))
    it.setFont(theme.font(pt, bold))
    it.setHtml(theme.rich(text))
    return it


def _centre(item, x, y):
    r = item.boundingRect()
    item.setPos(x - r.width() / 2, y - r.height() / 2)


class CellDiagram(QGraphicsView):
    """The drawing. ``build(cell)`` once per kind of cell; ``show_values`` per frame."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.Antialiasing)
        self.setBackgroundBrush(QBrush(QColor(theme.BACKGROUND)))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.cell = None
        self.nodes, self.values, self.boxes, self.extras = {}, {}, {}, {}
        self.edges = []

    def resizeEvent(self, e):
        super().resizeEvent(e)
        self.fitInView(self.scene().itemsBoundingRect().adjusted(-10, -10, 10, 10), Qt.KeepAspectRatio)

    def build(self, cell):
        if cell == self.cell:
            return
        self.cell = cell
        sc = self.scene()
        sc.clear()
        self.nodes, self.values, self.boxes, self.extras, self.edges = {}, {}, {}, {}, []
        nodes, edges = LAYOUTS.get(cell, LAYOUTS["lstm"])
        self.nodes = nodes
        ink = QPen(QColor(theme.FOREGROUND), 2)
        for e in edges:
            a, b = e[0], e[1]
            arrow = len(e) < 3 or e[2]
            self.edges.append(self._edge(sc, nodes[a], nodes[b], arrow))
        for name, (kind, x, y, sym) in nodes.items():
            if kind in ("sigma", "tanh"):
                rect = sc.addRect(QRectF(x - BOX_W / 2, y - BOX_H / 2, BOX_W, BOX_H), ink,
                                  QBrush(GATE_COLOURS[kind]))
                rect.setZValue(2)
                self.boxes[name] = rect
                t = _text_item(sc, sym, theme.TEXT_PT, bold=True)
                t.setZValue(3)
                _centre(t, x, y - 12)
                v = _text_item(sc, "", theme.TICK_PT)
                v.setZValue(3)
                self.values[name] = (v, x, y + 12)
                extra = _text_item(sc, "", theme.TICK_PT - 1, colour=theme.BAD)
                extra.setZValue(3)
                self.extras[name] = (extra, x, y + BOX_H / 2 + 13)
            elif kind == "op":
                r = OP_R if len(sym) <= 2 else OP_R + 9
                circ = sc.addEllipse(QRectF(x - r, y - r, 2 * r, 2 * r), ink, QBrush(QColor("white")))
                circ.setZValue(2)
                t = _text_item(sc, sym, theme.TEXT_PT if len(sym) <= 2 else theme.TICK_PT - 1, bold=True)
                t.setZValue(3)
                _centre(t, x, y)
            elif kind == "io":
                t = _text_item(sc, sym, theme.TEXT_PT, bold=True)
                t.setZValue(3)
                _centre(t, x, y - 14)
                v = _text_item(sc, "", theme.TICK_PT)
                v.setZValue(3)
                self.values[name] = (v, x, y + 12)
            else:
                d = sc.addEllipse(QRectF(x - 3, y - 3, 6, 6), QPen(Qt.NoPen), QBrush(QColor(theme.FOREGROUND)))
                d.setZValue(2)
        self.fitInView(sc.itemsBoundingRect().adjusted(-10, -10, 10, 10), Qt.KeepAspectRatio)

    def _edge(self, sc, a, b, arrow):
        (ka, xa, ya, sa), (kb, xb, yb, sb) = a, b
        p0, p1 = QPointF(xa, ya), QPointF(xb, yb)
        # leave and enter the shapes at their borders
        p0 = _border(ka, sa, p0, p1)
        p1 = _border(kb, sb, p1, p0)
        path = QPainterPath(p0)
        path.lineTo(p1)
        pen = QPen(QColor(theme.FOREGROUND), 1.8)
        item = sc.addPath(path, pen)
        item.setZValue(1)
        head = None
        if arrow:
            ang = math.atan2(p1.y() - p0.y(), p1.x() - p0.x())
            pts = [p1, p1 - QPointF(math.cos(ang - 0.4) * 11, math.sin(ang - 0.4) * 11),
                   p1 - QPointF(math.cos(ang + 0.4) * 11, math.sin(ang + 0.4) * 11)]
            head = sc.addPolygon(QPolygonF(pts), QPen(Qt.NoPen), QBrush(QColor(theme.FOREGROUND)))
            head.setZValue(1)
        return item, head

    def set_value(self, name, text, fill=None):
        if name in self.values:
            item, x, y = self.values[name]
            item.setHtml(theme.rich(text))
            _centre(item, x, y)
        if name in self.boxes and fill is not None:
            self.boxes[name].setBrush(QBrush(fill))

    def set_extra(self, name, text):
        if name in self.extras:
            item, x, y = self.extras[name]
            # on white, so the arrow into the box passes behind the number
            item.setHtml(f'<span style="background-color:#ffffff">{theme.rich(text)}</span>' if text else "")
            item.setZValue(4)
            _centre(item, x, y)

    def set_edge_colour(self, colour, width=1.8):
        for item, head in self.edges:
            item.setPen(QPen(QColor(colour), width))
            if head is not None:
                head.setBrush(QBrush(QColor(colour)))


def _border(kind, sym, p, towards):
    dx, dy = towards.x() - p.x(), towards.y() - p.y()
    n = math.hypot(dx, dy) or 1.0
    if kind in ("sigma", "tanh"):
        # distance to the box edge along the direction
        sx = (BOX_W / 2) / abs(dx / n) if dx else math.inf
        sy = (BOX_H / 2) / abs(dy / n) if dy else math.inf
        r = min(sx, sy)
    elif kind == "op":
        r = OP_R if len(sym) <= 2 else OP_R + 9
    elif kind == "io":
        r = 16 if abs(dy) > abs(dx) else 12 + 4.5 * len(sym)
    else:
        r = 0
    return QPointF(p.x() + dx / n * r, p.y() + dy / n * r)


def _mix(colour: QColor, amount=0.55) -> QColor:
    """The colour blended with white, so dark text stays readable on it."""
    return QColor(int(255 - amount * (255 - colour.red())), int(255 - amount * (255 - colour.green())),
                  int(255 - amount * (255 - colour.blue())))


def fill(cmap, v: float) -> QColor:
    """The box colour for value v on [0, 1] of the map (white when v is not finite: a diverged run)."""
    if not math.isfinite(v):
        return QColor("white")
    return _mix(cmap.map(float(np.clip(v, 0.0, 1.0)), mode="qcolor"))
