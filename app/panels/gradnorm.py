"""Gradient norms: the global ‖g‖ before and after clipping at every optimizer
step, the threshold, the steps where clipping fired, and how often it did."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout

from app.i18n import translate
from app import theme
from app.panels.base import Panel
from app.panels.common import HoverMixin, fmt, label, log_axis, make_plot, set_text
from app.panels.loss import positive


class GradNormPanel(Panel, HoverMixin):
    title = QT_TRANSLATE_NOOP("Panel", "Gradient norm ‖g‖")           # short: two tabs share a 1366-px screen's column
    object_id = "gradnorm"

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        row = QHBoxLayout()
        self.head = label(translate("GradNormPanel", "No run yet."))
        row.addWidget(self.head, 1)
        self.log = QCheckBox(translate("GradNormPanel", "log scale"))
        self.log.setFont(theme.font())
        self.log.setChecked(True)
        self.log.toggled.connect(self._set_log)
        row.addWidget(self.log)
        self.per_param = QCheckBox(translate("GradNormPanel", "per parameter"))
        self.per_param.setFont(theme.font())
        self.per_param.setToolTip(translate("GradNormPanel", "‖g‖ of each weight matrix and bias at the newest "
                                                     "traced step, before clipping"))
        self.per_param.toggled.connect(self._set_per_param)
        row.addWidget(self.per_param)
        lay.addLayout(row)
        self.plot = make_plot(translate("GradNormPanel", "optimizer step"), translate("GradNormPanel", "global ‖g‖"))
        log_axis(self.plot, translate("GradNormPanel", "global ‖g‖"))
        pi = self.plot.getPlotItem()
        pi.setLogMode(y=True)              # no grid: it redraws every step (see theme.value_grid)
        self.peak = pi.plot([], [], pen=theme.pen(theme.MUTED, 1.2, Qt.DashLine))
        # after clipping drawn wide underneath: where it equals "before", both stay visible
        self.after = pi.plot([], [], pen=theme.pen(theme.GOOD, 6))
        self.before = pi.plot([], [], pen=theme.pen(theme.ACCENT, 2))
        # a PlotDataItem (not a bare ScatterPlotItem) so that log mode applies to it too
        self.events = pi.plot([], [], pen=None, symbol="t", symbolSize=12, symbolBrush=theme.BAD, symbolPen=None)
        self.events.setZValue(20)
        # no text on the line (it was clipped at the plot's edge): the legend names the threshold
        self.threshold = pg.InfiniteLine(angle=0, pen=pg.mkPen(theme.THRESHOLD, width=2, style=Qt.DashLine))
        self.threshold.setVisible(False)
        pi.addItem(self.threshold)
        lay.addWidget(self.plot, 1)
        # per-parameter view: one bar per parameter, built once, shown on demand
        self.bars_plot = make_plot(translate("GradNormPanel", "‖g‖ before clipping, newest traced step"), "")
        self.bars = pg.BarGraphItem(x0=0, y=[], width=[], height=0.7, brush=theme.ACCENT)
        self.bars_plot.getPlotItem().addItem(self.bars)
        self.bars_plot.setVisible(False)
        lay.addWidget(self.bars_plot, 1)
        self._param_norms = None
        self._param_names = None
        self.legend = label("")
        lay.addWidget(self.legend)
        self._legend_key = None
        self._empty = True
        self._h = {}
        self.install_hover(self.plot, self._hover)

    def _set_per_param(self, on):
        self.plot.setVisible(not on)
        self.legend.setVisible(not on)
        self.bars_plot.setVisible(on)
        self.refresh(force=True)

    def _draw_param_norms(self):
        norms = self._param_norms
        if not norms:
            self.bars.setOpts(y=[], width=[])
            return
        names = list(norms)
        if names != self._param_names:            # axis labels change only with the model
            self._param_names = names
            axis = self.bars_plot.getPlotItem().getAxis("left")
            axis.setStyle(hideOverlappingLabels=False)
            axis.setWidth(max(theme_font_width(_short(n)) for n in names) + 16)
            axis.setTicks([[(i, _short(n)) for i, n in enumerate(names)]])
            self.bars_plot.getPlotItem().invertY(True)
        self.bars.setOpts(y=np.arange(len(names)), width=[norms[n] for n in names])
        self.bars_plot.getPlotItem().setYRange(-0.6, len(names) - 0.4, padding=0)

    def _set_log(self, on):
        self.plot.getPlotItem().setLogMode(y=on)
        self.refresh(force=True)

    def _set_legend(self, peaks: bool, threshold):
        if self._legend_key == (peaks, threshold):
            return
        self._legend_key = (peaks, threshold)
        parts = [f'<span style="color:{theme.ACCENT}">━</span> ' + translate("GradNormPanel", "before clipping"),
                 f'<span style="color:{theme.GOOD}">━</span> ' + translate("GradNormPanel", "after clipping")]
        if peaks:
            parts.append(f'<span style="color:{theme.MUTED}">┅</span> ' + translate("GradNormPanel", "largest of each point's steps"))
        parts.append(f'<span style="color:{theme.BAD}">▼</span> ' + translate("GradNormPanel", "clipped"))
        if threshold is not None:
            parts.append(f'<span style="color:{theme.THRESHOLD}">┅</span> '
                         + translate("GradNormPanel", "threshold {value}").format(value=f"{threshold:g}"))
        self.legend.setText(" &nbsp; ".join(parts))

    def _hover(self, x, y):
        s = self._h.get("step")
        if s is None or s.size == 0:
            return ""
        i = int(np.clip(np.searchsorted(s, x), 0, s.size - 1))
        h = self._h
        return translate("GradNormPanel", "step {step}: ‖g‖ = {before} before, {after} after\nlargest {peak}, "
                                          "clipped on {pct} % of its steps").format(
            step=int(s[i]), before=fmt(float(h['grad_norm'][i])), after=fmt(float(h['grad_norm_clipped'][i])),
            peak=fmt(float(h['grad_norm_max'][i])), pct=f"{100 * float(h['clip_fraction'][i]):.0f}")

    def redraw(self):
        st = self.state
        snap = st.snapshot
        if snap is not None and getattr(snap, "grad_norms", None):
            self._param_norms = snap.grad_norms
        if self.per_param.isChecked():
            self._draw_param_norms()
        tc = st.train_config
        mode = snap.clip if snap is not None else (tc.clip if tc is not None else "none")
        thr = snap.clip_threshold if snap is not None else (tc.clip_threshold if tc is not None else None)
        log = self.log.isChecked()
        if mode == "norm" and thr is not None:
            # in log mode an InfiniteLine's position is in log10 units
            self.threshold.setValue(np.log10(thr) if log else thr)
            self.threshold.setVisible(True)
        else:
            self.threshold.setVisible(False)
        self._set_legend(st.history is not None and st.history.stride > 1, thr if mode == "norm" else None)
        h = st.history.arrays() if st.history is not None else {"step": np.zeros(0)}
        self._h = h
        s = h["step"]
        if s.size == 0:
            for item in (self.peak, self.before, self.after):
                item.setData([], [])
            self.events.setData([], [])
            set_text(self.head, translate("GradNormPanel", "No steps yet.") if st.model_config
                     else translate("GradNormPanel", "No run yet."))
            self.plot.getPlotItem().setRange(xRange=(0, 100), yRange=(-2, 1) if log else (0, 10), padding=0)
            self._empty = True
            return
        if self._empty:               # leave the user's zoom alone after that
            self._empty = False
            self.plot.getPlotItem().enableAutoRange()
        f = positive if log else np.asarray
        self.before.setData(s, f(h["grad_norm"]), connect="finite")
        self.after.setData(s, f(h["grad_norm_clipped"]), connect="finite")
        if st.history.stride > 1:
            self.peak.setData(s, f(h["grad_norm_max"]), connect="finite")
        else:
            self.peak.setData([], [])
        hit = h["clip_fraction"] > 0
        ev_y = h["grad_norm_max"][hit]
        self.events.setData(s[hit], f(ev_y))
        frac = float(np.mean(h["clip_fraction"]))
        n = st.history.total_steps
        if mode == "norm":
            how = translate("GradNormPanel", "clip by norm at {value}").format(value=f"{thr:g}")
        elif mode == "value":
            how = translate("GradNormPanel", "clip by value at ±{value} per entry (no norm threshold)").format(
                value=f"{thr:g}")
        else:
            how = translate("GradNormPanel", "no clipping")
        set_text(self.head, translate("GradNormPanel", "{how}: clipped on {pct} % of {n} steps;  last ‖g‖ = {last}")
                 .format(how=how, pct=f"{100 * frac:.1f}", n=n, last=fmt(float(h['grad_norm'][-1]))))


def theme_font_width(text: str) -> int:
    from PySide6.QtGui import QFontMetrics
    return QFontMetrics(theme.font()).horizontalAdvance(text)


#: the core's parameter names in the notes' notation (rnncore/naming.py: Wh = W_aaᵀ, Wx = W_axᵀ)
_NOTES = {"Wx": "W_ax", "Wh": "W_aa", "b": "b_a", "bhn": "b_cc", "fwd": "→", "bwd": "←"}
_HEAD = {"head.W": "W_ya", "head.b": "b_y", "embed.E": "embedding"}


def _short(name: str) -> str:
    """'rnn.l1.bwd.Wh' → 'l1 ← W_aa', 'head.W' → 'W_ya'."""
    if name in _HEAD:
        return _HEAD[name]
    return " ".join(_NOTES.get(p, p) for p in name.split(".") if p != "rnn")
