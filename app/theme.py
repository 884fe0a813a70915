"""Colours, fonts and colour maps shared by every panel.

Colour scales are fixed, never auto-ranged, so a colour means the same value on
every frame and every panel: σ gates (Γu, Γr, Γf, Γo) on [0, 1] with a
sequential map, tanh values (c̃, a) on [−1, 1] with a diverging map whose white
is 0. The LSTM's c<t> is not bounded by tanh; it gets a wider fixed range.
Fonts are large enough to read on a projector.
"""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont

# -- fixed levels ------------------------------------------------------------
SIGMA_LEVELS = (0.0, 1.0)      # σ gates
TANH_LEVELS = (-1.0, 1.0)      # c̃, a, GRU's c (= a)
CELL_LEVELS = (-3.0, 3.0)      # LSTM c<t>: unbounded, usually within a few units

SIGMA_KEYS = ("gamma_u", "gamma_r", "gamma_f", "gamma_o")

# -- colours -----------------------------------------------------------------
BACKGROUND = "#ffffff"
FOREGROUND = "#222222"
GRID_ALPHA = 0.25
CURSOR = "#e8590c"             # the time cursor t, the same orange everywhere
CURSOR_FILL = QColor(232, 89, 12, 45)
MUTED = "#9aa0a6"              # raw / secondary data
ACCENT = "#1c7ed6"             # primary line
GOOD = "#2b8a3e"
BAD = "#c92a2a"
THRESHOLD = "#c92a2a"
REFERENCE = "#7048e8"          # literature reference markers
# distinguishable line colours for units, layers, directions (Okabe–Ito, colour-blind safe)
# (its vermillion left out: too close to the cursor's orange)
PALETTE = ["#0072B2", "#009E73", "#CC79A7", "#56B4E9", "#000000", "#E69F00", "#8c6d31", "#7f7f7f"]

# -- fonts -------------------------------------------------------------------
TEXT_PT = 13                   # labels, readouts
TICK_PT = 12                   # axis tick labels
TITLE_PT = 14                  # plot titles
TOKEN_PT = 16                  # the sequence strip's tokens
LEFT_AXIS_W = 68               # px of every plot's value axis (ticks and label)


def font(pt: int = TEXT_PT, bold: bool = False) -> QFont:
    f = QFont()
    f.setPointSize(pt)
    f.setBold(bold)
    return f


def color(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def pen(c=ACCENT, width: float = 2.0, style=None):
    p = pg.mkPen(c, width=width)
    if style is not None:
        p.setStyle(style)
    return p


# -- colour maps -------------------------------------------------------------
_MAPS: dict = {}


def sigma_cmap() -> pg.ColorMap:
    """Sequential map for [0, 1] (σ gates): dark = closed, bright = open."""
    if "sigma" not in _MAPS:
        _MAPS["sigma"] = pg.colormap.get("viridis")
    return _MAPS["sigma"]


def diverging_cmap() -> pg.ColorMap:
    """Diverging map for signed values: blue < 0 < red, white at 0."""
    if "div" not in _MAPS:
        _MAPS["div"] = pg.colormap.get("CET-D1")
    return _MAPS["div"]


def scale_for(key: str, cell: str | None = None):
    """(colour map, fixed levels) for a trace key (gamma_*, c_tilde, c, a)."""
    if key in SIGMA_KEYS:
        return sigma_cmap(), SIGMA_LEVELS
    if key == "c" and cell == "lstm":
        return diverging_cmap(), CELL_LEVELS
    return diverging_cmap(), TANH_LEVELS


def style_plot(plot_item, x_label: str | None = None, y_label: str | None = None, title: str | None = None):
    """Large fonts, grid, dark axes: readable when projected."""
    tick = font(TICK_PT)
    for name in ("left", "bottom"):
        ax = plot_item.getAxis(name)
        ax.setStyle(tickFont=tick, tickTextOffset=4)
        ax.setPen(pg.mkPen(FOREGROUND))
        ax.setTextPen(pg.mkPen(FOREGROUND))
        ax.enableAutoSIPrefix(False)      # "(x1e-03)" in an axis label is unreadable at a glance
    # a fixed width for the value axis: pyqtgraph sizes it before it knows the large tick font
    # (labels then overlap), and equal widths line up stacked plots on the time axis
    plot_item.getAxis("left").setWidth(LEFT_AXIS_W)
    css = {"font-size": f"{TEXT_PT}pt", "color": FOREGROUND}
    if x_label:
        plot_item.setLabel("bottom", rich(x_label), **css)
    if y_label:
        plot_item.setLabel("left", rich(y_label), **css)
    if title:
        plot_item.setTitle(rich(title), size=f"{TITLE_PT}pt", color=FOREGROUND)
    plot_item.setMenuEnabled(False)


def value_grid(plot_item):
    """Horizontal grid lines at the labelled values only.

    pyqtgraph draws a grid through its axes and replays it as a QPicture on every
    repaint: in the plots that change every training step (loss curve, gradient
    norms) that replay cost more than everything else in a frame (measured ~2×
    the frame time with the full grid, still most of it with major lines only).
    So only plots that change with a new trace, not every step, get this grid.
    """
    ax = plot_item.getAxis("left")
    ax.setStyle(maxTickLevel=0)
    ax.setGrid(int(255 * GRID_ALPHA))


# -- text --------------------------------------------------------------------
# Some sans fonts (DejaVu Sans, the usual Linux default) draw the combining
# tilde of c̃ under the c; a serif face places it right. Every label goes
# through rich() so "<t>" survives HTML and c̃ looks like the notes.
_TILDE_FACE = "DejaVu Serif, Times New Roman, serif"


def rich(text: str) -> str:
    """Plain text in the notes' notation → HTML for Qt labels, titles, tooltips."""
    import html
    out = html.escape(text, quote=False)
    out = out.replace("c\u0303", f'<span style="font-family:{_TILDE_FACE}">c\u0303</span>')
    return out.replace("\n", "<br>")


def tip(text: str) -> str:
    """A tooltip (always rich text, so Qt does not guess)."""
    return f"<qt>{rich(text)}</qt>"
