"""The cell as a diagram, in the notes' symbols, with its live values at t.

Boxes are the σ gates (Γu, Γr, Γf, Γo) and the tanh candidate c̃; circles are
⊙ (element-wise product), + and 1 − ·; arrows carry a<t-1>, x<t>, c<t-1> to
c<t> and a<t>. Each box is filled with the colour of its value (the gates'
σ scale) and shows the mean over the units at the cursor t, or the value of
the selected unit. The items are built once per kind of cell; a redraw only
changes texts and fills.

"Step through one update" runs the next optimizer step of a private copy of
the model (rnncore.trainer.Trainer.phased_step; the real run is untouched),
one phase per press: forward → loss → backprop → clip → update, and writes on
each gate what the phase produced for that gate's weights W_· = [W_·a | W_·x], b_·.
"""
from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (QComboBox, QGraphicsScene, QGraphicsView, QHBoxLayout, QLabel, QPushButton,
                               QVBoxLayout)

from app import theme
from app.insight.jobs import Jobs, model_from
from app.panels.base import Panel
from app.panels.common import CELL_NAMES, Unchanged, cell_of, label, set_text, step_labels, steps_of
from app.panels.choosers import PartChooser

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

EQUATIONS = {
    "lstm": "c<t> = Γu * c̃<t> + Γf * c<t-1>      a<t> = Γo * tanh(c<t>)",
    "gru": "c̃<t> = tanh(W_c [Γr * c<t-1>, x<t>] + b_c)      c<t> = Γu * c̃<t> + (1 − Γu) * c<t-1>",
    "gru-simple": "c<t> = Γu * c̃<t> + (1 − Γu) * c<t-1>",
    "rnn": "a<t> = g(W_a [a<t-1>, x<t>] + b_a)",
}
PHASE_WORDS = {
    "forward": "Forward: each gate reads [a<t-1>, x<t>] through its weights; c<t> and a<t> follow.",
    "loss": "Loss: L = Σ_t L<t> compares ŷ<t> with y<t>.",
    "backprop": "Backprop through time: ‖∂L/∂W‖ of each gate's weights (all steps, the whole batch).",
    "clip": "Clip: the global gradient norm is rescaled to the threshold when it is larger.",
    "update": "Update: the optimizer changes each gate's weights by ΔW.",
}


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


def _fill(cmap, v: float) -> QColor:
    """The box colour for value v on [0, 1] of the map (white when v is not finite: a diverged run)."""
    if not math.isfinite(v):
        return QColor("white")
    return _mix(cmap.map(float(np.clip(v, 0.0, 1.0)), mode="qcolor"))


# -- phases (pool thread) ---------------------------------------------------------------
def phases_job(task, config, train_config, weights) -> list:
    """Pool thread: every Phase of the next optimizer step of a private copy of the model.

    The generator runs to its end in this one thread (its np.errstate context
    cannot be resumed in another); the GUI then shows the phases one per press."""
    from rnncore.trainer import phases_of_next_step
    return phases_of_next_step(model_from(config, weights), task, train_config)


def gate_norms(named: dict, config, cell_gates, part="rnn", layer=0, direction=0) -> dict:
    """‖·‖ of each gate's block of Wx, Wh and b (the notes' W_· = [W_·a | W_·x], b_·) → {gate: norm}."""
    base = f"{part}.l{layer}.{'bwd' if direction else 'fwd'}."
    H = config.hidden_size if part != "dec" else config.features
    out = {}
    for i, g in enumerate(cell_gates):
        sq = 0.0
        for k in ("Wx", "Wh", "b"):
            v = named.get(base + k)
            if v is None:
                continue
            v = np.asarray(v)
            sq += float(np.sum(np.square(v[..., i * H:(i + 1) * H])))
        if g == "c_tilde" and base + "bhn" in named:
            sq += float(np.sum(np.square(named[base + "bhn"])))
        out[g] = math.sqrt(sq)
    return out


class CellDiagramPanel(Panel):
    title = "Cell diagram at t"
    object_id = "cell"

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        self.chooser = PartChooser()
        self.chooser.changed.connect(self._chosen)
        top.addWidget(self.chooser, 1)
        self.which = QComboBox()
        self.which.setFont(theme.font())
        self.which.addItem("mean over units", "mean")
        self.which.addItem("selected unit", "unit")
        self.which.currentIndexChanged.connect(self._chosen)
        top.addWidget(self.which)
        lay.addLayout(top)
        self.note = label("No run yet.")
        lay.addWidget(self.note)
        self.view = CellDiagram()
        self.view.setMinimumHeight(220)
        lay.addWidget(self.view, 1)
        row = QHBoxLayout()
        self.phase_button = QPushButton("Step through one update ▸")
        self.phase_button.setFont(theme.font())
        self.phase_button.setToolTip(theme.tip("One phase per press on a copy of the model: forward → loss → "
                                               "backprop → clip → update (the run itself is not changed)"))
        self.phase_button.clicked.connect(self.next_phase)
        row.addWidget(self.phase_button)
        self.phase_labels = {}
        for name in ("forward", "loss", "backprop", "clip", "update"):
            lab = QLabel(name)
            lab.setFont(theme.font())
            lab.setAlignment(Qt.AlignCenter)
            lab.setStyleSheet("padding:3px 8px; border-radius:4px; color:#9aa0a6;")
            row.addWidget(lab)
            self.phase_labels[name] = lab
        row.addStretch(1)
        lay.addLayout(row)
        self.phase_text = label("")
        lay.addWidget(self.phase_text)
        self.phase = None                    # newest rnncore Phase shown
        self.phases: list = []               # the phases of one update still to show
        self.jobs = Jobs(self, min_interval=0.0)
        self.jobs.finished.connect(self._phase_ready)
        self.jobs.failed.connect(self._phase_failed)
        self._unchanged = Unchanged()
        self._run = None
        self.state.cursor_changed.connect(self._cursor)
        self.state.units_changed.connect(self._units)

    def _chosen(self, *_):
        self.refresh(force=True)

    def _cursor(self, _t):
        self.refresh(force=True)

    def _units(self, _u):
        if self.which.currentData() == "unit" or not self.state.units:
            self.refresh(force=True)
        elif self.state.units:
            self.which.setCurrentIndex(1)

    # -- phases (GUI thread) ---------------------------------------------------------------
    def next_phase(self):
        st = self.state
        if st.model_config is None or st.weights is None or st.task is None or not hasattr(st.task, "batch"):
            set_text(self.phase_text, "Phases need a task to draw a batch from and the model's weights.")
            return
        if self.jobs.busy:
            return
        if self.phase is not None and not self.phases:     # after "update": the step is done
            self.phase = None
            set_text(self.phase_text, "The update is done. Press again to step through another one "
                                      "(from the newest weights of the run).")
            self._show_phase()
            return
        if self.phases:
            self.phase = self.phases.pop(0)
            self._show_phase()
            return
        from rnncore.config import TrainConfig
        self.phase_button.setEnabled(False)
        set_text(self.phase_text, "computing one optimizer step on a copy of the model …")
        self.jobs.run_now(phases_job, st.task, st.model_config, st.train_config or TrainConfig(), st.weights)

    def _phase_failed(self, _n, message):
        self.phase_button.setEnabled(True)
        self.phases = []
        set_text(self.phase_text, f"Could not step: {message}")

    def _phase_ready(self, _n, phases):
        self.phase_button.setEnabled(True)
        self.phases = list(phases)
        if self.phases:
            self.phase = self.phases.pop(0)
        self._show_phase()

    def _show_phase(self):
        ph = self.phase
        for name, lab in self.phase_labels.items():
            on = ph is not None and ph.name == name
            lab.setStyleSheet("padding:3px 8px; border-radius:4px; " +
                              (f"background:{theme.CURSOR}; color:white; font-weight:bold;" if on
                               else "color:#9aa0a6;"))
        v = self.view
        for g in v.extras:
            v.set_extra(g, "")
        v.set_edge_colour(theme.FOREGROUND)
        if ph is None:
            return
        st = self.state
        cfg = st.model_config
        p, l, d = self.chooser.selection(st.trace) or ("rnn", 0, 0)
        gates = cfg.gates if cfg is not None else ()
        d_ = ph.data
        if ph.name == "forward":
            v.set_edge_colour(theme.ACCENT, 2.4)
            text = PHASE_WORDS["forward"]
        elif ph.name == "loss":
            per = np.asarray(d_["per_step"])
            text = f"{PHASE_WORDS['loss']}  L = {float(d_['loss']):.4f} over the batch" + \
                (f" ({len(per)} steps)" if per.size > 1 else "")
        elif ph.name in ("backprop", "clip"):
            v.set_edge_colour(theme.BAD, 2.4)
            text = PHASE_WORDS[ph.name]
            if ph.name == "clip":
                text += (f"  ‖g‖ = {d_['norm']:.3g} → {d_['norm_after']:.3g}"
                         f"{' (clipped)' if d_['clipped'] else ' (not clipped)'}, mode {d_['mode']}, "
                         f"threshold {d_['threshold']:g}.")
            norms = d_.get("grad_norms", {})
            base = f"{p}.l{l}.{'bwd' if d else 'fwd'}."
            parts = [f"‖∂L/∂{k}‖ = {norms[base + k]:.2e}" for k in ("Wx", "Wh", "b") if base + k in norms]
            text += "  This layer: " + ", ".join(parts) if parts else ""
        else:
            v.set_edge_colour(theme.GOOD, 2.4)
            delta = gate_norms(d_["delta"], cfg, gates, p, l, d)
            for g, n in delta.items():
                v.set_extra(g, f"‖ΔW‖ {n:.1e}")
            text = f"{PHASE_WORDS['update']}  (learning rate α = {d_['lr']:g})"
        set_text(self.phase_text, text)

    # -- values at t --------------------------------------------------------------------------
    def redraw(self):
        st = self.state
        tr = st.trace
        cell = cell_of(st, tr)
        self.view.build(cell)
        self.chooser.update_structure(tr)
        sel = self.chooser.selection(tr)
        run = (st.task, st.model_config)
        if self._run is None or run[0] is not self._run[0] or run[1] is not self._run[1]:
            self._run = run
            self.phase, self.phases = None, []
            self._show_phase()
            set_text(self.phase_text, "")
        if self._unchanged(tr, st.model_config, sel, st.cursor, tuple(st.units), self.which.currentIndex()):
            return
        eq = EQUATIONS.get(cell, "")
        if tr is None:
            set_text(self.note, f"{CELL_NAMES.get(cell, cell)}: {eq}" +
                     ("   (no trace yet)" if st.model_config else "   (no run yet)"))
            for name in list(self.view.values):
                self.view.set_value(name, "")
            return
        p, l, d = sel
        keys = tr.parts[p][l][d]
        T = steps_of(st, p, keys["a"])
        t = min(st.cursor, max(T - 1, 0))
        H = keys["a"].shape[-1]
        unit = next((u for u in st.units if u < H), None) if self.which.currentData() == "unit" else None

        def val(key, step):
            if key not in keys or step < 0:
                return 0.0                       # a<0> = 0, c<0> = 0
            row = np.asarray(keys[key][step, 0], float)
            return float(row[unit]) if unit is not None else float(row.mean())

        sig = theme.sigma_cmap()
        div = theme.diverging_cmap()
        for g in ("gamma_u", "gamma_r", "gamma_f", "gamma_o"):
            if g in keys:
                x = val(g, t)
                self.view.set_value(g, f"{g.replace('gamma_', 'Γ')} = {x:.3f}", _fill(sig, x))
        if "c_tilde" in keys:
            x = val("c_tilde", t)
            self.view.set_value("c_tilde", f"c̃ = {x:+.3f}", _fill(div, (x + 1) / 2))
        if cell == "rnn":
            x = val("a", t)
            self.view.set_value("a_pre", f"a = {x:+.3f}", _fill(div, (x + 1) / 2))
        for name, key, step in (("c_prev", "c", t - 1), ("c", "c", t), ("a_prev", "a", t - 1), ("a", "a", t)):
            self.view.set_value(name, f"{val(key, step):+.3f}")
        toks = step_labels(st, p) or []
        if l > 0:                                # a deep RNN's layer reads the layer below (§2)
            self.view.set_value("x", f"= a[{l}]<t> from layer [{l}]")
        else:
            self.view.set_value("x", f"“{toks[t]}”" if t < len(toks) else f"t = {t + 1}")
        what = f"unit {unit}" if unit is not None else f"mean over the {H} units"
        where = self.chooser.describe(tr)
        set_text(self.note, f"{CELL_NAMES.get(cell, cell)}{' — ' + where if where else ''}, t = {t + 1}, {what}.   {eq}")
        self._show_phase()

