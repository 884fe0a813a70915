"""Cell memory c<t> and hidden state a<t>: heatmaps units × time, and line
traces of chosen units (default: the most active), so a unit that holds
"the subject is plural" across a clause shows as a flat line."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QVBoxLayout

from app import theme
from app.panels.base import Panel
from app.panels.common import (CELL_NAMES, HoverMixin, Unchanged, cell_of, cursor_line, fmt, label, make_plot,
                               reserve_colorbar_space, set_text, step_labels, steps_of, time_ticks)
from app.panels.heatmap import Heatmap
from app.panels.choosers import PartChooser

MAX_TRACES = 6
DEFAULT_TRACES = 4


def most_active(values: np.ndarray, k: int = DEFAULT_TRACES) -> list[int]:
    """Units with the largest mean |value| over time (values (T, H))."""
    if values.size == 0:
        return []
    score = np.nanmean(np.abs(values), axis=0)
    return [int(u) for u in np.argsort(score)[::-1][:k]]


class MemoryPanel(Panel, HoverMixin):
    title = "Memory c<t>, hidden a<t>"     # short: a dock title must fit a 1366-px screen's column
    object_id = "memory"

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        self.chooser = PartChooser()
        self.chooser.changed.connect(lambda: self.refresh(force=True))
        self.chooser.part.activated.connect(self.choose_axis)
        top.addWidget(self.chooser, 1)
        self.which = QComboBox()
        self.which.setFont(theme.font())
        self.which.addItem("traces of c<t>", "c")
        self.which.addItem("traces of a<t>", "a")
        self.which.currentIndexChanged.connect(lambda _i: self.refresh(force=True))
        top.addWidget(self.which)
        lay.addLayout(top)
        self.note = label("No run yet.")
        lay.addWidget(self.note)
        self.c_map = Heatmap(cmap=theme.diverging_cmap(), levels=theme.CELL_LEVELS, bar_label="")
        self.c_map.set_title("c<t>  memory cell")
        self.a_map = Heatmap(cmap=theme.diverging_cmap(), levels=theme.TANH_LEVELS, bar_label="")
        self.a_map.set_title("a<t>  hidden state")
        for hm in (self.c_map, self.a_map):
            hm.clicked.connect(self._clicked)
            lay.addWidget(hm, 2)
        self.lines_plot = make_plot("t", "value")
        pi = self.lines_plot.getPlotItem()
        pi.setMouseEnabled(x=False, y=True)
        reserve_colorbar_space(pi)
        self.lines = []
        for i in range(MAX_TRACES):
            item = pi.plot([], [], pen=theme.pen(theme.color(i), 2.5), symbol="o", symbolSize=7,
                           symbolBrush=theme.color(i), symbolPen=None)
            self.lines.append(item)
        self.zero = pg.InfiniteLine(pos=0, angle=0, pen=pg.mkPen(theme.MUTED, width=1))
        pi.addItem(self.zero)
        self.cursor = cursor_line()
        pi.addItem(self.cursor)
        lay.addWidget(self.lines_plot, 3)
        self.legend = label("")
        lay.addWidget(self.legend)
        self._traced: list[tuple[int, np.ndarray]] = []
        self._name = "c"
        self._dots = True
        self._unchanged = Unchanged()
        self.install_hover(self.lines_plot, self._hover_lines)
        for hm in (self.c_map, self.a_map):     # no data until a trace: never pyqtgraph's default ranges
            hm.set_data(None)
        pi.setRange(xRange=(0.5, 10.5), yRange=(-1, 1), padding=0)
        self.state.cursor_changed.connect(self.set_cursor)
        self.state.units_changed.connect(lambda _u: self.refresh(force=True))

    def set_cursor(self, t: int):
        self.c_map.set_cursor(t)
        self.a_map.set_cursor(t)
        self.cursor.setValue(t + 1)

    def _clicked(self, t, unit):
        self.state.set_cursor(t)
        units = list(self.state.units)
        units = [u for u in units if u != unit] if unit in units else (units + [unit])[-MAX_TRACES:]
        self.state.set_units(units)

    def _hover_lines(self, x, y):
        t = int(round(x)) - 1
        if not self._traced or t < 0:
            return ""
        rows = [f"unit {u}: {self._name}<{t + 1}> = {fmt(float(v[t]))}" for u, v in self._traced if t < v.size]
        return "\n".join(rows)

    def redraw(self):
        tr = self.state.trace
        self.chooser.update_structure(tr)
        self.sync_axis()
        if self._unchanged(tr, self.state.model_config, self.chooser.selection(tr), tuple(self.state.units),
                           self.which.currentIndex()):   # nothing new since the last trace
            return
        cell = cell_of(self.state, tr)
        separate_c = cell == "lstm"
        self.c_map.setVisible(separate_c)
        self.which.setVisible(separate_c)
        if tr is None:
            set_text(self.note, "No trace yet." if self.state.model_config else "No run yet.")
            self.c_map.set_data(None)
            self.a_map.set_data(None)
            for item in self.lines:
                item.setData([], [])
            set_text(self.legend, "")
            self._traced = []
            self.lines_plot.getPlotItem().setRange(xRange=(0.5, 10.5), yRange=(-1, 1), padding=0)
            return
        p, l, d = self.chooser.selection(tr)
        keys = tr.parts[p][l][d]
        T = steps_of(self.state, p, keys["a"])
        a = keys["a"][:T, 0, :]
        c = keys["c"][:T, 0, :]
        where = self.chooser.describe(tr)
        labels = step_labels(self.state, p)
        head = f"{CELL_NAMES.get(cell, cell)}{' — ' + where if where else ''}. "
        if cell == "lstm":
            set_text(self.note, head + "c<t> is the memory; a<t> = Γo * tanh(c<t>). Click a unit to trace it.")
            self.c_map.set_data(c, "c", labels)
        elif cell == "rnn":
            set_text(self.note, head + "The vanilla RNN has no memory cell: only a<t>. Click a unit to trace it.")
        else:
            set_text(self.note, head + "For GRUs c<t> = a<t>: one heatmap shows both. Click a unit to trace it.")
        self.a_map.set_data(a, "a", labels)
        self.a_map.set_title("c<t> = a<t>  memory = hidden state" if cell in ("gru", "gru-simple")
                             else "a<t>  hidden state")
        key = self.which.currentData() if separate_c else "a"
        vals = c if key == "c" else a
        name = key if cell == "lstm" else ("a" if cell == "rnn" else "c")     # GRU: c = a
        self._name = name
        H = vals.shape[1] if vals.ndim == 2 else 0
        units = [u for u in self.state.units if u < H][:MAX_TRACES] or most_active(vals)
        chosen = "chosen" if any(u < H for u in self.state.units) else "most active"
        self._traced = []
        xs = np.arange(1, T + 1)
        legend = []
        dots = T <= 30                 # dots on each step help short sequences, clutter long ones
        if dots != self._dots:
            self._dots = dots
            for i, item in enumerate(self.lines):
                item.setSymbol("o" if dots else None)
        for i, item in enumerate(self.lines):
            if i < len(units):
                v = vals[:, units[i]]
                item.setData(xs, v)
                self._traced.append((units[i], v))
                legend.append(f'<span style="color:{theme.color(i)}">■</span> unit {units[i]}')
            else:
                item.setData([], [])
        pi = self.lines_plot.getPlotItem()
        pi.setXRange(0.5, max(T, 1) + 0.5, padding=0)
        time_ticks(pi, T, labels)
        if name == "c" and cell == "lstm":      # unbounded: fit, but never tighter than ±1
            lo, hi = (float(np.nanmin(vals[:, units])), float(np.nanmax(vals[:, units]))) if units else (-1, 1)
            pi.setYRange(min(lo, -1.0), max(hi, 1.0), padding=0.05)
        else:                                    # tanh-bounded: a fixed scale
            pi.setYRange(-1.05, 1.05, padding=0)
        pi.setLabel("left", theme.rich(f"{name}<t>"), **{"font-size": f"{theme.TEXT_PT}pt"})
        self.legend.setText(f"{theme.rich(name + '<t>')} of the {chosen} units: " + " &nbsp; ".join(legend))
        self.set_cursor(self.state.cursor)
