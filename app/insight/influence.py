"""Influence of earlier inputs: ‖∂ŷ<t>/∂x<t'>‖ for the current example, as in
Distill's "Visualizing memorization in RNNs" (Madsen 2019). Row t is one
prediction ŷ<t>, column t' one input x<t'>: a bright cell far left of the
diagonal means the prediction still depends on a word many steps back. Each row
is normalised to its largest entry by default, so rows of small gradients stay
readable. Computed in the background (rnncore.insight.influence, one backward
pass per output) when the trace changes, at most twice a second."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QRectF
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout

from app import theme
from app.i18n import translate
from app.insight.jobs import Jobs, model_from
from app.panels.base import Panel
from app.panels.common import BAR_AXIS_W, BAR_W, cursor_line, describe, fmt, label, make_plot, set_text, shape_of
from rnncore.insight import influence

MAX_TICKS = 24


def influence_job(config, weights, example):
    """Pool thread: (T_y, T_x) gradient norms for the example."""
    return influence(model_from(config, weights), example)


def _ticks(labels, most=MAX_TICKS):
    n = len(labels)
    every = max(1, int(np.ceil(n / most)))
    return [[(i + 1, str(labels[i])) for i in range(0, n, every)]]


class InfluencePanel(Panel):
    title = QT_TRANSLATE_NOOP("Panel", "Influence ‖∂ŷ<t>/∂x<t'>‖")
    object_id = "influence"

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        self.note = label(translate("InfluencePanel", "No run yet."))
        top.addWidget(self.note, 1)
        self.per_row = QCheckBox(translate("InfluencePanel", "normalise each row"))
        self.per_row.setFont(theme.font())
        self.per_row.setChecked(True)
        self.per_row.toggled.connect(self._toggled)
        top.addWidget(self.per_row)
        lay.addLayout(top)
        self.plot = make_plot(translate("InfluencePanel", "input x<t'>"), translate("InfluencePanel", "prediction ŷ<t>"))
        pi = self.plot.getPlotItem()
        pi.showGrid(x=False, y=False)
        pi.setMouseEnabled(x=False, y=False)
        pi.hideButtons()
        pi.invertY(True)                      # ŷ<1> on top, as a matrix reads
        self.image = pg.ImageItem(axisOrder="row-major")
        self.cmap = pg.colormap.get("inferno")
        self.image.setLookupTable(self.cmap.getLookupTable(0.0, 1.0, 256))
        pi.addItem(self.image)
        self.bar = pg.ColorBarItem(values=(0, 1), colorMap=self.cmap, interactive=False, width=BAR_W,
                                   colorMapMenu=False)
        self.bar.setImageItem(self.image, insert_in=pi)
        ax = self.bar.getAxis("right")
        ax.setWidth(BAR_AXIS_W)
        ax.setStyle(tickFont=theme.font(theme.TICK_PT))
        ax.setTextPen(pg.mkPen(theme.FOREGROUND))
        self.cursor = cursor_line()
        pi.addItem(self.cursor)
        self.row_box = pg.PlotCurveItem(pen=pg.mkPen(theme.CURSOR, width=2))
        self.row_box.setZValue(40)
        pi.addItem(self.row_box)
        lay.addWidget(self.plot, 1)
        self.readout = label("")
        lay.addWidget(self.readout)
        self.values = None                 # (T_y, T_x) newest influence
        self.jobs = Jobs(self, min_interval=0.5)
        self.jobs.finished.connect(self._computed)
        self.jobs.failed.connect(self._failed)
        self._asked = None                 # (trace, weights) of the newest request
        self._for_trace = None
        self._slots = []
        vb = pi.vb

        def moved(pos):
            if self.values is None or not vb.sceneBoundingRect().contains(pos):
                return
            p = vb.mapSceneToView(pos)
            t, s = int(np.floor(p.y() - 0.5)), int(np.floor(p.x() - 0.5))
            if 0 <= t < self.values.shape[0] and 0 <= s < self.values.shape[1]:
                set_text(self.readout, f"‖∂ŷ<{t + 1}>/∂x<{s + 1}>‖ = {fmt(float(self.values[t, s]))}")

        self.plot.scene().sigMouseMoved.connect(moved)
        self._slots.append(moved)
        self.state.cursor_changed.connect(self.set_cursor)

    def _toggled(self, _on):
        self._show()

    def _failed(self, _n, message):
        set_text(self.note, translate("InfluencePanel", "Could not compute the influence: {message}").format(message=message))

    def _computed(self, _n, values):
        self.values = np.asarray(values)
        self._for_trace = self._asked[0] if self._asked else None
        self._show()

    # -- drawing ----------------------------------------------------------------------
    def redraw(self):
        st = self.state
        if st.trace is None or st.example is None or st.model_config is None or st.weights is None:
            if self.values is not None or st.model_config is None:
                self.values = None
                self._show()
            return
        want = (st.trace, st.weights)
        if self._asked is None or want[0] is not self._asked[0] or want[1] is not self._asked[1]:
            self._asked = want
            self.jobs.request(influence_job, st.model_config, st.weights, st.example)

    def _show(self):
        st = self.state
        pi = self.plot.getPlotItem()
        v = self.values
        if v is None or v.size == 0:
            self.image.clear()
            self.row_box.setData([], [])
            self.cursor.setVisible(False)
            pi.setXRange(0.5, 10.5, padding=0)
            pi.setYRange(0.5, 3.5, padding=0)
            pi.getAxis("bottom").setTicks(_ticks([str(i + 1) for i in range(10)]))
            pi.getAxis("left").setTicks(_ticks([str(i + 1) for i in range(3)]))
            set_text(self.note, translate("InfluencePanel", "No run yet.") if st.model_config is None
                     else translate("InfluencePanel", "Computing ‖∂ŷ<t>/∂x<t'>‖ …"))
            return
        Ty, Tx = v.shape
        shown = v / np.maximum(v.max(axis=1, keepdims=True), 1e-30) if self.per_row.isChecked() else \
            v / max(float(v.max()), 1e-30)
        self.cursor.setVisible(True)
        self.image.setImage(shown, autoLevels=False, levels=(0, 1))
        self.image.setRect(QRectF(0.5, 0.5, Tx, Ty))
        pi.setXRange(0.5, Tx + 0.5, padding=0)
        pi.setYRange(0.5, Ty + 0.5, padding=0)
        self.bar.setLevels((0, 1))
        d = describe(st.task, st.example) or {}
        xs = list(d.get("x") or [str(i + 1) for i in range(Tx)])
        ys = d.get("y")
        shape = shape_of(st)
        if shape == "many-to-one" or Ty == 1:
            ylabels = ["ŷ"]
        elif isinstance(ys, (list, tuple)) and len(ys) >= Ty and shape in ("encoder-decoder", "one-to-many"):
            ylabels = [f"{t + 1}: {ys[t]}" for t in range(Ty)]
        else:
            ylabels = [str(t + 1) for t in range(Ty)]
        pi.getAxis("bottom").setTicks(_ticks([xs[i] if i < len(xs) else str(i + 1) for i in range(Tx)]))
        pi.getAxis("left").setTicks(_ticks(ylabels))
        what = translate("InfluencePanel", "each row scaled to its largest entry") if self.per_row.isChecked() else \
            translate("InfluencePanel", "scaled to the largest entry, {value}").format(value=fmt(float(v.max())))
        if Ty > 1:
            text = translate("InfluencePanel", "How much each input x<t'> moves each prediction ŷ<t> ({what}).")
        elif isinstance(ys, (list, tuple)) and ys:
            text = translate("InfluencePanel", "How much each input x<t'> moves the prediction ŷ (target y = {y}) "
                                               "({what}).")
        else:
            text = translate("InfluencePanel", "How much each input x<t'> moves the prediction ŷ ({what}).")
        set_text(self.note, text.format(what=what, y=ys[0] if Ty == 1 and isinstance(ys, (list, tuple)) and ys else ""))
        self.set_cursor(st.cursor)

    def set_cursor(self, t: int):
        self.cursor.setValue(t + 1)
        v = self.values
        if v is None or v.size == 0:
            self.row_box.setData([], [])
            return
        Ty, Tx = v.shape
        if Ty > 1 and Ty == Tx and shape_of(self.state) == "many-to-many":     # ŷ<t> is read at the cursor too
            r = min(t, Ty - 1)
            self.row_box.setData([0.5, Tx + 0.5, Tx + 0.5, 0.5, 0.5], [r + 0.5, r + 0.5, r + 1.5, r + 1.5, r + 0.5])
        else:
            self.row_box.setData([], [])
