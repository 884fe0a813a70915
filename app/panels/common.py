"""Pieces the panels share: state readers, styled plots, the time cursor line and hover
read-outs (the heatmap and the part chooser have their own files).

Time is drawn 1-based, as in the notes (x<1> … x<T_x>): step index t (0-based,
``state.cursor``) sits at x = t + 1.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QCursor, QFontMetrics
from PySide6.QtWidgets import QLabel, QToolTip

from app import theme
from rnncore.naming import SYMBOLS

PART_NAMES = {"rnn": "", "enc": "encoder", "dec": "decoder"}
DIR_NAMES = ("→ forward", "← backward")
BAR_W, BAR_AXIS_W = 16, 44        # colour bar and its tick labels, px


def reserve_colorbar_space(plot_item):
    """Give a line plot the right margin a heatmap's colour bar takes, so the
    time axes of a heatmap and a line plot stacked below it line up."""
    plot_item.showAxis("right")
    ax = plot_item.getAxis("right")
    ax.setStyle(showValues=False, tickLength=0)
    ax.setPen(pg.mkPen(None))
    ax.setWidth(BAR_W + BAR_AXIS_W + 10)
CELL_NAMES = {"rnn": "Vanilla RNN", "gru-simple": "Simplified GRU", "gru": "GRU", "lstm": "LSTM"}


# -- reading the state -------------------------------------------------------
def cell_of(state, trace=None) -> str:
    """The run's cell kind, from the model config or else from the trace's keys."""
    cfg = getattr(state, "model_config", None)
    if cfg is not None:
        return cfg.cell
    trace = trace if trace is not None else state.trace
    if trace is None:
        return "lstm"
    keys = next(iter(trace.parts.values()))[0][0].keys()
    if "gamma_f" in keys:
        return "lstm"
    if "gamma_r" in keys:
        return "gru"
    if "gamma_u" in keys:
        return "gru-simple"
    return "rnn"


def shape_of(state) -> str:
    cfg = getattr(state, "model_config", None)
    if cfg is not None:
        return cfg.shape
    tr = state.trace
    if tr is not None and "dec" in tr.parts:
        return "encoder-decoder"
    return "many-to-many"


def structure(trace) -> tuple:
    """(part, layers, directions) of each part: changes only with the model."""
    if trace is None:
        return ()
    return tuple((p, len(layers), len(layers[0])) for p, layers in trace.parts.items())


def steps_of(state, part: str, arr: np.ndarray) -> int:
    """Valid steps of ``arr`` (T, ...) of ``part``: the input part stops at T_x."""
    T = arr.shape[0]
    tr = state.trace
    if part in ("rnn", "enc") and shape_of(state) != "one-to-many" and tr is not None and tr.lengths.size:
        T = min(T, int(tr.lengths[0]))
    return max(T, 0)


def _visible(token: str) -> str:
    """Blank tokens (a character model's space) drawn as ␣ so the cell is not empty."""
    return token.replace(" ", "␣") if token.strip() == "" and token else token


def describe(task, batch):
    """task.describe(batch) with 'x' and 'y' as lists of strings (a many-to-one
    task may give one string, e.g. y = "were"), or None."""
    if task is None or batch is None:
        return None
    try:
        d = task.describe(batch, 0)
    except Exception:  # tasks are plug-ins; a broken describe must not break the strip
        return None
    if not isinstance(d, dict):
        return None
    out = {}
    for k in ("x", "y"):
        v = d.get(k)
        if v is None:
            continue
        if isinstance(v, str) or not hasattr(v, "__iter__"):
            v = [v]
        out[k] = [_visible(str(s)) for s in v]
    return out


def step_labels(state, part: str) -> list[str] | None:
    """The tokens under each step of ``part``: x<t> for the input, y<t> for a decoder
    or generator (their inputs are the previous outputs). None when unknown."""
    d = describe(state.task, state.example)
    if not d:
        return None
    key = "y" if part == "dec" or shape_of(state) == "one-to-many" else "x"
    return d.get(key)


def symbol(key: str) -> str:
    return SYMBOLS.get(key, key)


def fmt(v: float) -> str:
    if v is None or not np.isfinite(v):
        return str(v)
    a = abs(v)
    if a != 0 and (a < 1e-3 or a >= 1e4):
        return f"{v:.3e}"
    return f"{v:.4f}"


class Unchanged:
    """Remembers what a panel last drew from, to skip redraws that would repeat it.

    Objects (traces, configs) are compared by identity and held, so a freed
    object's id can never be mistaken for a new one; plain values by equality.
    """

    def __init__(self):
        self._last = None

    def __call__(self, *things) -> bool:
        last, self._last = self._last, things
        if last is None or len(last) != len(things):
            return False
        for a, b in zip(last, things):
            plain = isinstance(b, (int, float, str, tuple, type(None)))
            if (a != b) if plain else (a is not b):
                return False
        return True


# -- widgets -----------------------------------------------------------------
def make_plot(x_label=None, y_label=None, title=None) -> pg.PlotWidget:
    w = pg.PlotWidget(background=theme.BACKGROUND)
    theme.style_plot(w.getPlotItem(), x_label, y_label, title)
    w.setMinimumHeight(84)         # four gate heatmaps and the toolbars fit a 768-px screen
    return w


def set_text(lab: QLabel, text: str):
    """Set a label() in the notes' notation (escapes <t>, draws c̃ well)."""
    lab.setText(theme.rich(text))


def integer_ticks(plot_item, T: int, axis: str = "bottom", most: int = 12):
    """Ticks on whole numbers only (no "2.5"), at most about ``most`` of them."""
    step = 1
    for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000):
        step = s
        if T / s <= most:
            break
    ax = plot_item.getAxis(axis)
    if getattr(ax, "_int_step", None) != step:
        ax._int_step = step
        ax.setTickSpacing(major=step, minor=step)


def time_ticks(plot_item, T: int, labels=None):
    """The time axis: the tokens themselves when they fit in the plot's width (the
    notes' short examples), else whole step numbers, as many as fit. Re-applied
    when the plot is resized (docks are narrow or wide)."""
    ax = plot_item.getAxis("bottom")
    ax._time = (T, None if labels is None else list(labels[:T]))
    if not getattr(ax, "_time_hooked", False):
        ax._time_hooked = True
        plot_item.vb.sigResized.connect(lambda *_: _apply_time_ticks(plot_item))
    _apply_time_ticks(plot_item)


_TICK_FM = None


def _apply_time_ticks(plot_item):
    global _TICK_FM
    ax = plot_item.getAxis("bottom")
    T, labels = getattr(ax, "_time", (0, None))
    width = max(plot_item.vb.width(), 1.0)
    if _TICK_FM is None:
        _TICK_FM = QFontMetrics(theme.font(theme.TICK_PT))
    if labels and len(labels) >= T > 0:
        need = T * (max(_TICK_FM.horizontalAdvance(w) for w in labels) + 10)
        if need <= width:
            want = ("tokens", tuple(labels))
            if getattr(ax, "_int_step", None) != want:
                ax._int_step = want
                ax.setTicks([[(t + 1, labels[t]) for t in range(T)]])
            return
    if isinstance(getattr(ax, "_int_step", None), tuple):
        ax.setTicks(None)
        ax._int_step = None
    digits = _TICK_FM.horizontalAdvance(str(max(T, 1))) + 16
    integer_ticks(plot_item, T, most=max(int(width // digits), 2))


def cursor_line() -> pg.InfiniteLine:
    line = pg.InfiniteLine(pos=1, angle=90, movable=False, pen=pg.mkPen(theme.CURSOR, width=2.5))
    line.setZValue(50)
    line.is_time_cursor = True      # tests find the lines that follow state.cursor by this
    return line


def label(text="", pt=theme.TEXT_PT, bold=False) -> QLabel:
    """A QLabel in rich text; set its text with ``set_text`` (notation-safe)."""
    lab = QLabel(theme.rich(text))
    lab.setTextFormat(Qt.RichText)
    lab.setFont(theme.font(pt, bold))
    lab.setTextInteractionFlags(Qt.TextSelectableByMouse)
    lab.setWordWrap(True)
    return lab


class HoverMixin:
    """Calls ``fn(x, y)`` (view coordinates) on mouse moves over the plot and shows
    the answer as a tooltip that stays while the mouse rests (and in ``readout``)."""

    def install_hover(self, plot_widget: pg.PlotWidget, fn, readout: QLabel | None = None):
        vb = plot_widget.getPlotItem().vb

        def moved(pos):
            if not vb.sceneBoundingRect().contains(pos):
                return
            p = vb.mapSceneToView(pos)
            text = fn(p.x(), p.y())
            if text:
                if readout is not None:
                    readout.setText(theme.rich(text))
                plot_widget.setToolTip(theme.tip(text))
                QToolTip.showText(QCursor.pos(), theme.tip(text), plot_widget)

        plot_widget.scene().sigMouseMoved.connect(moved)
        # keep a reference: the scene holds the connection only weakly for plain functions
        self.__dict__.setdefault("_hover_slots", []).append(moved)


class LogAxis(pg.AxisItem):
    """A value axis whose log mode labels decades only (and 2·, 5· when under two decades show):
    pyqtgraph labels every minor tick (9, 8, 7 …), and at a laptop panel's height they overlap."""

    def logTickStrings(self, values, scale, spacing):
        strings = super().logTickStrings(values, scale, spacing)
        v = np.asarray(values, float)
        mant = np.round(10 ** (v - np.floor(v + 1e-9)), 3)
        lo, hi = self.range
        px = self.geometry().height() / max(hi - lo, 1e-9)        # pixels per decade
        line = self.fontMetrics().height() * 1.1

        def fits(k):
            return k.sum() < 2 or np.min(np.diff(np.sort(v[k]))) * px >= line

        keep = mant == 1
        more = keep | np.isin(mant, (2, 5))
        if keep.sum() < 2 and fits(more):           # under two decades: 2· and 5· too, if they fit
            keep = more
        while not fits(keep):                       # decades too close: every other one
            idx = np.flatnonzero(keep)
            keep[idx[1::2]] = False
        return [s if k else "" for s, k in zip(strings, keep)]

    def fontMetrics(self):
        return QFontMetrics(self.style.get("tickFont") or theme.font(theme.TICK_PT))


def log_axis(plot_widget, y_label):
    """Put a LogAxis on the left of a make_plot plot (styled as make_plot styles it)."""
    pi = plot_widget.getPlotItem()
    pi.setAxisItems({"left": LogAxis("left")})
    theme.style_plot(pi, None, y_label)
