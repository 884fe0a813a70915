"""Loss: L<t> of the current example as bars (the notes' L = Σ L<t>), and the
training loss over optimizer steps (raw and smoothed, optional log scale)."""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout

from app import theme
from app.i18n import translate
from app.panels.base import Panel
from app.panels.common import (HoverMixin, Unchanged, cursor_line, fmt, label, log_axis, make_plot, set_text, shape_of,
                               step_labels, time_ticks)


def smooth(y: np.ndarray, window: int) -> np.ndarray:
    """Centred moving average (no lag; the window shrinks at both ends)."""
    if y.size == 0 or window <= 1:
        return y
    c = np.cumsum(np.insert(np.nan_to_num(y), 0, 0.0))
    i = np.arange(y.size)
    half = window // 2
    lo, hi = np.maximum(i - half, 0), np.minimum(i + half + 1, y.size)
    return (c[hi] - c[lo]) / (hi - lo)


def positive(y: np.ndarray) -> np.ndarray:
    """For log axes: non-positive and non-finite values become NaN (gaps)."""
    y = np.asarray(y, float).copy()
    y[~(y > 0) | ~np.isfinite(y)] = np.nan
    return y


def tiny_losses(L: np.ndarray) -> bool:
    """Per-step losses a linear axis would draw as nothing: all positive, and the largest < 0.01
    or spanning more than three decades."""
    L = np.asarray(L, float)
    ok = L[np.isfinite(L)]
    if ok.size == 0 or (ok <= 0).any():
        return False
    return bool(ok.max() < 1e-2 or ok.max() / ok.min() > 1e3)


class LossPanel(Panel, HoverMixin):
    title = QT_TRANSLATE_NOOP("Panel", "Loss L<t> and L")
    object_id = "loss"

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.head = label(translate("LossPanel", "No run yet."))
        lay.addWidget(self.head)
        self.bars_plot = make_plot("t", "L<t>")
        log_axis(self.bars_plot, "L<t>")
        bp = self.bars_plot.getPlotItem()
        bp.setMouseEnabled(x=False, y=False)
        self.bars = pg.BarGraphItem(x=[1], height=[0], width=0.75, brush=theme.ACCENT, pen=None)
        bp.addItem(self.bars)
        self.cursor = cursor_line()
        bp.addItem(self.cursor)
        lay.addWidget(self.bars_plot, 2)

        row = QHBoxLayout()
        self.curve_head = label("")
        row.addWidget(self.curve_head, 1)
        self.log = QCheckBox(translate("LossPanel", "log scale"))
        self.log.setFont(theme.font())
        self.log.setToolTip(translate("LossPanel", "Log y keeps the early descent and the late fine-tuning both "
                                                   "readable"))
        self.log.toggled.connect(self._set_log)
        row.addWidget(self.log)
        lay.addLayout(row)
        self.curve_plot = make_plot(translate("LossPanel", "optimizer step"), "L")
        log_axis(self.curve_plot, "L")
        cp = self.curve_plot.getPlotItem()   # no grid: it redraws every step (see theme.value_grid)
        self.raw = cp.plot([], [], pen=theme.pen(theme.MUTED, 1.2), name="raw")
        self.smoothed = cp.plot([], [], pen=theme.pen(theme.ACCENT, 3), name="smoothed")
        lay.addWidget(self.curve_plot, 3)
        self._L = np.zeros(0)
        self._x0 = 1
        self._hist = {}
        self._smooth = np.zeros(0)
        self._curve_empty = True
        self.bars_log = False
        self._unchanged = Unchanged()
        self.install_hover(self.bars_plot, self._hover_bars)
        self.install_hover(self.curve_plot, self._hover_curve)
        self.state.cursor_changed.connect(self.set_cursor)
        self.log.setChecked(True)            # the descent from step 0 stays readable as L shrinks

    def _set_log(self, on):
        self.curve_plot.getPlotItem().setLogMode(y=on)
        self.refresh(force=True)

    def set_cursor(self, t: int):
        self.cursor.setValue(t + 1)

    def _hover_bars(self, x, y):
        i = int(round(x)) - self._x0
        if 0 <= i < self._L.size:
            return f"L<{i + self._x0}> = {fmt(float(self._L[i]))}"
        return ""

    def _hover_curve(self, x, y):
        s = self._hist.get("step")
        if s is None or s.size == 0:
            return ""
        i = int(np.clip(np.searchsorted(s, x), 0, s.size - 1))
        return translate("LossPanel", "step {step}: L = {loss}, smoothed {smooth}").format(
            step=int(s[i]), loss=fmt(float(self._hist['loss'][i])), smooth=fmt(float(self._smooth[i])))

    def redraw(self):
        st = self.state
        tr = st.trace
        shape = shape_of(st)
        if self._unchanged(tr, st.model_config):   # the bars change with a new trace only
            pass
        elif tr is None or tr.loss is None:
            self._L = np.zeros(0)
            self.bars_log = False
            self.bars_plot.getPlotItem().setLogMode(y=False)
            self.bars.setOpts(x=[1], y0=0, height=[0])
            set_text(self.head, translate("LossPanel", "No example traced yet: L<t> appears with the first trace.")
                     if st.model_config else translate("LossPanel", "No run yet."))
            self.bars_plot.getPlotItem().setRange(xRange=(0.5, 10.5), yRange=(0, 1), padding=0)
        else:
            L = np.asarray(tr.loss)[:, 0]
            T_x = int(tr.lengths[0]) if tr.lengths.size else L.size
            if shape == "many-to-many":
                L = L[:T_x]
            # many-to-one predicts once, after reading x<T_x>
            x0 = T_x if shape in ("many-to-one", "one-to-one") else 1
            self._L, self._x0 = L, x0
            xs = np.arange(x0, x0 + L.size)
            self.bars_log = tiny_losses(L)
            bp = self.bars_plot.getPlotItem()
            bp.setLogMode(y=self.bars_log)
            if self.bars_log:          # tiny L<t> (a learnt task): bars from a floor on a log scale
                lg = np.log10(np.where(L > 0, L, np.nan))
                floor = float(np.floor(np.nanmin(lg))) - 1
                self.bars.setOpts(x=xs, y0=floor, height=np.nan_to_num(lg - floor))
            else:
                self.bars.setOpts(x=xs, y0=0, height=np.nan_to_num(L))
            total = float(np.nansum(L))
            where = {"many-to-one": translate("LossPanel", "one loss, at the last step"),
                     "encoder-decoder": translate("LossPanel", "over the decoder's steps t = 1 … T_y")}.get(shape, "")
            set_text(self.head, translate("LossPanel", "This example: L = Σ L<t> = {total}").format(total=fmt(total))
                     + (f"  ({where})" if where else ""))
            right = max(xs[-1] if xs.size else 1, T_x)
            bp.setXRange(0.5, right + 0.5, padding=0)
            time_ticks(bp, right, step_labels(st, "dec" if shape == "encoder-decoder" else "rnn"))
            top = float(np.nanmax(L)) if L.size and np.isfinite(L).any() else 1.0
            if self.bars_log:
                bp.setYRange(floor, np.nanmax(lg) + 0.3, padding=0)
            else:
                bp.setYRange(0, max(top, 1e-6) * 1.1, padding=0)
        self.set_cursor(st.cursor)

        h = st.history.arrays() if st.history is not None else {"step": np.zeros(0)}
        self._hist = h
        steps = h["step"]
        if steps.size == 0:
            self.raw.setData([], [])
            self.smoothed.setData([], [])
            self._smooth = np.zeros(0)
            set_text(self.curve_head, translate("LossPanel", "Training loss: no steps yet."))
            self.curve_plot.getPlotItem().setRange(xRange=(0, 100), yRange=(0, 1), padding=0)
            self._curve_empty = True
            return
        loss = h["loss"]
        window = max(5, steps.size // 25)
        self._smooth = smooth(loss, window)
        log = self.log.isChecked()
        y_raw, y_s = (positive(loss), positive(self._smooth)) if log else (loss, self._smooth)
        if self._curve_empty:          # leave the user's zoom alone after that
            self._curve_empty = False
            self.curve_plot.getPlotItem().enableAutoRange()
        self.raw.setData(steps, y_raw, connect="finite")
        self.smoothed.setData(steps, y_s, connect="finite")
        per = st.history.stride
        set_text(self.curve_head, translate("LossPanel", "L over {n} steps: last {last}, smoothed {smooth}").format(
            n=st.history.total_steps, last=fmt(float(loss[-1])), smooth=fmt(float(self._smooth[-1])))
                 + (translate("LossPanel", " (points average {n} steps)").format(n=per) if per > 1 else ""))
