"""Gradient through time: ‖∂L/∂a<t>‖ per time step of the current example, on a
log scale, one line per layer and direction. For a plain RNN the gradient that
reaches early steps shrinks geometrically (vanishing); GRU and LSTM keep it."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import QVBoxLayout

from app.i18n import translate
from app import theme
from app.panels.base import Panel
from app.panels.common import (HoverMixin, Unchanged, cell_of, cursor_line, fmt, label, make_plot,
                               set_text, shape_of, step_labels, steps_of, time_ticks)
from app.panels.choosers import PartChooser, cell_name
from app.panels.loss import positive

TINY = 1e-30


def flow_norms(flows_of_part, state, part) -> list[tuple[int, int, np.ndarray]]:
    """[(layer, direction, ‖∂L/∂a<t>‖ over units (T,))] of one part."""
    out = []
    for l, row in enumerate(flows_of_part):
        for d, f in enumerate(row):
            T = steps_of(state, part, f)
            out.append((l, d, _row_norms(f[:T, 0, :])))
    return out


def _row_norms(g):
    """‖g<t>‖ per row, scaled by the row's largest entry so that values near a divergence
    (1e200) do not overflow when squared; rows holding Inf or NaN give Inf or NaN, silently."""
    with np.errstate(over="ignore", invalid="ignore"):
        m = np.max(np.abs(g), axis=-1, keepdims=True) if g.size else np.ones(g.shape[:-1] + (1,))
        s = np.where((m > 0) & np.isfinite(m), m, 1.0)
        return s[..., 0] * np.sqrt(np.sum(np.square(g / s), axis=-1)) + np.where(np.isfinite(m[..., 0]), 0.0, m[..., 0])


class FlowPanel(Panel, HoverMixin):
    title = QT_TRANSLATE_NOOP("Panel", "Gradient flow")     # short: fits a 1366-px column as a tab (the axis names ‖∂L/∂a<t>‖)
    object_id = "flow"

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.chooser = PartChooser(layers=False, directions=False)
        self.chooser.changed.connect(lambda: self.refresh(force=True))
        lay.addWidget(self.chooser)
        self.head = label(translate("FlowPanel", "No run yet."))
        lay.addWidget(self.head)
        self.plot = make_plot("t", "‖∂L/∂a<t>‖")
        self._decades = None
        pi = self.plot.getPlotItem()
        pi.setLogMode(y=True)
        theme.value_grid(pi)
        pi.setMouseEnabled(x=False, y=True)
        self.cursor = cursor_line()
        pi.addItem(self.cursor)
        lay.addWidget(self.plot, 1)
        self.legend = label("")
        lay.addWidget(self.legend)
        self.lines = []          # grows to the model's layers × directions, on a new model only
        self._norms = []
        self._unchanged = Unchanged()
        self.install_hover(self.plot, self._hover)
        self.state.cursor_changed.connect(self.set_cursor)

    def _line(self, i):
        while len(self.lines) <= i:
            k = len(self.lines)
            # forward solid, backward dashed; layers by colour
            self.lines.append(self.plot.getPlotItem().plot(
                [], [], pen=theme.pen(theme.color(k // 2), 2.5, Qt.DashLine if k % 2 else None),
                symbol="o", symbolSize=7, symbolBrush=theme.color(k // 2), symbolPen=None))
        return self.lines[i]

    def set_cursor(self, t: int):
        self.cursor.setValue(t + 1)

    def _hover(self, x, y):
        t = int(round(x)) - 1
        rows = [f"{self._name(l, d)}: ‖∂L/∂a<{t + 1}>‖ = {fmt(float(n[t]))}"
                for l, d, n in self._norms if 0 <= t < n.size]
        return "\n".join(rows)

    def _name(self, l, d):
        many_l = len({l for l, _, _ in self._norms}) > 1
        many_d = len({d for _, d, _ in self._norms}) > 1
        bits = ([translate("Panel", "layer [{n}]").format(n=l + 1)] if many_l else []) + (["→" if d == 0 else "←"] if many_d else [])
        return " ".join(bits) or "a<t>"

    def _decade_range(self, series):
        """y from a power of ten to a power of ten: labels only at decades (a range inside
        one decade labelled every minor tick, and they overlapped)."""
        vals = np.concatenate([np.asarray(n, float).ravel() for n in series]) if series else np.zeros(0)
        vals = vals[np.isfinite(vals) & (vals > 0)]
        if vals.size == 0:
            self.plot.getPlotItem().setYRange(-3, 0, padding=0)
            return
        lo, hi = int(np.floor(np.log10(vals.min()))), int(np.ceil(np.log10(vals.max())))
        if hi - lo < 2:                     # at least two decades, so two labels
            lo, hi = lo - (1 if hi - lo < 1 else 0), hi + 1
        self.plot.getPlotItem().setYRange(lo - 0.15, hi + 0.15, padding=0)   # room for the end labels
        if (lo, hi) != self._decades:       # labels at powers of ten only (log10 view coordinates)
            self._decades = (lo, hi)
            self.plot.getPlotItem().getAxis("left").setTicks([[(k, f"{10.0 ** k:g}") for k in range(lo, hi + 1)], []])

    def redraw(self):
        st = self.state
        tr = st.trace
        self.chooser.update_structure(tr)
        if self._unchanged(tr, st.model_config, self.chooser.selection(tr)):   # flows change with a new trace only
            return
        if tr is None or tr.flows is None:
            for item in self.lines:
                item.setData([], [])
            self._norms = []
            set_text(self.legend, "")
            set_text(self.head, translate("FlowPanel", "No gradients traced yet.") if st.model_config
                     else translate("FlowPanel", "No run yet."))
            self.plot.getPlotItem().setRange(xRange=(0.5, 10.5), yRange=(-3, 0), padding=0)
            return
        part = self.chooser.selection(tr)[0]
        self._norms = flow_norms(tr.flows[part], st, part)
        legend = []
        T = 1
        for i, (l, d, n) in enumerate(self._norms):
            T = max(T, n.size)
            y = positive(n)
            if np.isfinite(y).any():
                self._line(i).setData(np.arange(1, n.size + 1), y, connect="finite")
            else:                     # nothing to draw on a log axis (all zero, or diverged)
                self._line(i).setData([], [])
            dash = "┅" if d else "━"
            legend.append(f'<span style="color:{theme.color(i // 2)}">{dash}</span> {theme.rich(self._name(l, d))}')
        for item in self.lines[len(self._norms):]:
            item.setData([], [])
        self.plot.getPlotItem().setXRange(0.5, T + 0.5, padding=0)
        time_ticks(self.plot.getPlotItem(), T, step_labels(st, part))
        self._decade_range([n for _, _, n in self._norms])
        self.legend.setText(" &nbsp; ".join(legend) if len(legend) > 1 else "")
        cell = cell_name(cell_of(st, tr))
        # the forward direction of the top layer: how much gradient reaches step 1 from step T
        l, d, n = max(((l, d, n) for l, d, n in self._norms if d == 0), key=lambda x: x[0])
        text = translate("FlowPanel", "‖∂L/∂a<t>‖ summed over the loss of every step, log scale.")
        if not np.all(np.isfinite(n)):
            text = translate("FlowPanel", "the gradient is not finite (the run diverged), so nothing can be drawn "
                                          "for it.")
        elif not np.any(n > 0):
            text = translate("FlowPanel", "∂L/∂a<t> is exactly 0 at every step: this example's loss has nothing "
                                          "left to teach.")
        elif n.size > 1 and n[-1] > TINY:
            text = f"‖∂L/∂a<1>‖ / ‖∂L/∂a<{n.size}>‖ = {n[0] / n[-1]:.2g}" \
                + (translate("FlowPanel", " (top layer, →)") if len(self._norms) > 1 else "")
            if shape_of(st) == "many-to-one":
                text += translate("FlowPanel", ":  the loss enters at the last step; what reaches t = 1 is what can "
                                               "be learned from it.")
        text = f"{cell}: {text}"
        set_text(self.head, text)
        self.set_cursor(st.cursor)
