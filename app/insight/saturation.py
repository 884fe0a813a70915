"""Gate saturation (Karpathy, Johnson & Fei-Fei 2015, "Visualizing and
understanding recurrent networks", fig. 3): for each unit, the fraction of time
steps a σ gate is left-saturated (Γ < 0.1: closed) against right-saturated
(Γ > 0.9: open). A unit near the top left is a gate that is almost always open
(a forget gate that remembers); near the bottom right, almost always closed;
near the origin, a gate that works in between. Measured over a batch of the
task's examples run through the newest weights (in the background, at most
once a second), or over the newest trace when there is no task; click a unit
to select it in every panel."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QGridLayout, QSizePolicy, QVBoxLayout, QWidget

from app import theme
from app.i18n import translate
from app.insight.jobs import Jobs, model_from
from app.panels.base import Panel
from app.panels.common import Unchanged, cell_of, label, make_plot, set_text
from app.panels.choosers import PartChooser, cell_name
from rnncore.insight import saturation

GATES = ("gamma_f", "gamma_u", "gamma_o", "gamma_r")
MEANING = {"gamma_u": QT_TRANSLATE_NOOP("SaturationPanel", "Γu  update gate"),
           "gamma_r": QT_TRANSLATE_NOOP("SaturationPanel", "Γr  relevance gate"),
           "gamma_f": QT_TRANSLATE_NOOP("SaturationPanel", "Γf  forget gate"),
           "gamma_o": QT_TRANSLATE_NOOP("SaturationPanel", "Γo  output gate")}
LO, HI = 0.1, 0.9
EXAMPLES = 64


def saturation_job(task, config, weights, n):
    """Pool thread: saturation over n of the task's examples → (result of rnncore.insight.saturation, steps)."""
    batch = task.batch(np.random.default_rng(9), n)
    tr = model_from(config, weights).trace(batch, with_gradients=False)
    return saturation(tr, LO, HI), int(np.sum(tr.lengths))


class SaturationPanel(Panel):
    title = QT_TRANSLATE_NOOP("Panel", "Gate saturation")
    object_id = "saturation"

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.chooser = PartChooser()
        self.chooser.changed.connect(self._chosen)
        lay.addWidget(self.chooser)
        self.note = label(translate("SaturationPanel", "No run yet."))
        lay.addWidget(self.note)
        grid = QGridLayout()
        self.plots, self.dots, self.chosen = {}, {}, {}
        for i, g in enumerate(GATES):
            w = make_plot(translate("SaturationPanel", "closed: Γ < {lo}").format(lo=LO),
                          translate("SaturationPanel", "open: Γ > {hi}").format(hi=HI),
                          translate("SaturationPanel", MEANING[g]))
            pi = w.getPlotItem()
            pi.setRange(xRange=(-0.05, 1.05), yRange=(-0.06, 1.05), padding=0)
            pi.setMouseEnabled(x=False, y=False)
            pi.hideButtons()
            # every point lies under x + y = 1 (a step cannot be both)
            pi.addItem(pg.PlotCurveItem([0, 1], [1, 0], pen=pg.mkPen(theme.MUTED, width=1, style=pg.QtCore.Qt.DashLine)))
            dots = pg.ScatterPlotItem(size=11, pen=pg.mkPen("w", width=0.5), brush=pg.mkBrush(theme.ACCENT),
                                      hoverable=True, hoverSize=15, tip=self._tip)
            dots.sigClicked.connect(self._clicked)
            chosen = pg.ScatterPlotItem(size=17, pen=pg.mkPen(theme.CURSOR, width=2.5), brush=pg.mkBrush(None))
            chosen.setZValue(10)
            pi.addItem(dots)
            pi.addItem(chosen)
            grid.addWidget(w, i // 2, i % 2)
            self.plots[g], self.dots[g], self.chosen[g] = w, dots, chosen
        lay.addLayout(grid, 1)
        self.readout = label("")
        lay.addWidget(self.readout)
        self.filler = QWidget()                     # keeps the note at the top when no gate is shown
        self.filler.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Expanding)
        lay.addWidget(self.filler, 1)
        self._unchanged = Unchanged()
        self._sat: dict = {}
        self.batch_sat = None            # (saturation dict, steps) over the task's examples, newest weights
        self.jobs = Jobs(self, min_interval=1.0)
        self.jobs.finished.connect(self._measured)
        self._weights_seen = None
        self._run = None
        self.state.units_changed.connect(self._units_changed)

    # -- events (GUI thread) -------------------------------------------------
    def _chosen(self):
        self.refresh(force=True)

    def _measured(self, _n, result):
        self.batch_sat = result
        self.refresh(force=True)

    def _units_changed(self, _units):
        self._mark_chosen()

    def _tip(self, x, y, data):
        return translate("SaturationPanel", "unit {unit}: closed {closed} % of steps, open {open} %").format(
            unit=data, closed=f"{100 * x:.0f}", open=f"{100 * y:.0f}")

    def _clicked(self, item, points, ev=None):
        if len(points):
            u = int(points[0].data())
            self.state.set_units([u])
            set_text(self.readout, self._describe(u))

    def _describe(self, u) -> str:
        bits = []
        for g, (left, right) in self._sat.items():
            if u < len(left):
                bits.append(translate("SaturationPanel", "{gate} closed {closed} %, open {open} %").format(
                    gate=MEANING[g].split()[0], closed=f"{100 * left[u]:.0f}", open=f"{100 * right[u]:.0f}"))
        return translate("SaturationPanel", "unit {unit}: ").format(unit=u) + ";  ".join(bits) if bits else ""

    # -- drawing ---------------------------------------------------------------
    def redraw(self):
        st = self.state
        tr = st.trace
        run = (st.task, st.model_config)
        if self._run is None or run[0] is not self._run[0] or run[1] is not self._run[1]:
            self._run, self.batch_sat = run, None
        if st.weights is not None and st.weights is not self._weights_seen and st.task is not None \
                and hasattr(st.task, "batch") and st.model_config is not None:
            self._weights_seen = st.weights
            self.jobs.request(saturation_job, st.task, st.model_config, st.weights, EXAMPLES)
        self.chooser.update_structure(tr)
        sel = self.chooser.selection(tr)
        if self._unchanged(tr, st.model_config, sel, id(self.batch_sat)):
            return
        cell = cell_of(self.state, tr)
        self._sat = {}
        if tr is not None:
            p, l, d = sel
            sat = self.batch_sat[0] if self.batch_sat is not None else saturation(tr, LO, HI)
            self._sat = {g: sat[(p, l, d, g)] for g in GATES if (p, l, d, g) in sat}
        shown = [g for g in GATES if g in self._sat] if tr is not None else \
            [g for g in GATES if g in _gates_of(cell)]
        for g, w in self.plots.items():
            w.setVisible(g in shown)
            left, right = self._sat.get(g, (np.zeros(0), np.zeros(0)))
            self.dots[g].setData(x=left, y=right, data=np.arange(len(left)))
        self.filler.setVisible(not shown)
        where = self.chooser.describe(tr)
        name = cell_name(cell) + (f" — {where}" if where else "")
        if tr is None:
            set_text(self.note, translate("SaturationPanel", "No trace yet.") if self.state.model_config
                     else translate("SaturationPanel", "No run yet."))
        elif not self._sat:
            set_text(self.note, f"{name}: " + translate("SaturationPanel", "the vanilla RNN has no σ gates to saturate. "
                                                             "Choose a GRU or an LSTM."))
        else:
            if self.batch_sat is not None:
                over = translate("SaturationPanel", "{n} steps of {m} examples").format(n=self.batch_sat[1], m=EXAMPLES)
            else:
                over = translate("SaturationPanel", "the {n} steps of the example").format(
                    n=int(tr.lengths[0]) if tr.lengths.size else 0)
            set_text(self.note, translate("SaturationPanel", "{name}, over {over}: one dot per unit. Top left: open "
                                                             "almost always; bottom right: closed almost always. "
                                                             "Click a dot to select the unit.").format(name=name, over=over))
        self._mark_chosen()

    def _mark_chosen(self):
        units = self.state.units
        for g, (left, right) in self._sat.items():
            us = [u for u in units if u < len(left)]
            self.chosen[g].setData(x=left[us], y=right[us])
        for g in GATES:
            if g not in self._sat:
                self.chosen[g].setData(x=[], y=[])
        if units:
            set_text(self.readout, self._describe(units[0]))
        else:
            set_text(self.readout, "")


def _gates_of(cell) -> tuple:
    return {"rnn": (), "gru-simple": ("gamma_u",), "gru": ("gamma_u", "gamma_r"),
            "lstm": ("gamma_u", "gamma_f", "gamma_o")}.get(cell, ())
