"""One heatmap (x = time t, y = unit) with fixed levels, a colour bar, the cursor line
and a hover read-out."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from app import theme
from app.i18n import translate
from app.panels.common import BAR_AXIS_W, BAR_W, HoverMixin, cursor_line, fmt, integer_ticks, make_plot, time_ticks


class Heatmap(QWidget, HoverMixin):
    """One heatmap (x = time t, y = unit) with fixed levels, a colour bar, the
    cursor line and a hover read-out. ``set_data`` only calls setImage/setRect."""

    clicked = Signal(int, int)   # (t, unit), 0-based

    def __init__(self, y_label=None, parent=None, cmap=None, levels=(0.0, 1.0), bar_label=""):
        super().__init__(parent)
        self.plot = make_plot(None, translate("Heatmap", "unit") if y_label is None else y_label)
        pi = self.plot.getPlotItem()
        pi.setMouseEnabled(x=False, y=False)
        pi.hideButtons()
        self.image = pg.ImageItem(axisOrder="col-major")
        pi.addItem(self.image)
        self.levels = levels
        self.cmap = cmap or theme.sigma_cmap()
        self.image.setLookupTable(self.cmap.getLookupTable(0.0, 1.0, 256))
        self.image.setLevels(levels)
        self.bar = pg.ColorBarItem(values=levels, colorMap=self.cmap, interactive=False, width=BAR_W,
                                   colorMapMenu=False)
        self.bar.setImageItem(self.image, insert_in=pi)
        ax = self.bar.getAxis("right")
        ax.setWidth(BAR_AXIS_W)
        ax.setStyle(tickFont=theme.font(theme.TICK_PT))
        ax.setTextPen(pg.mkPen(theme.FOREGROUND))
        self._bar_ticks(levels)
        self._bar_label = None
        self.set_bar_label(bar_label)
        self.cursor = cursor_line()
        pi.addItem(self.cursor)
        self.empty = pg.TextItem(translate("Heatmap", "no data yet"), color=theme.MUTED, anchor=(0.5, 0.5))
        self.empty.setFont(theme.font())
        pi.addItem(self.empty, ignoreBounds=True)     # its size depends on the view: no autorange loop
        self._empty_shown = False
        self.labels = None
        self.title = ""
        self.data = np.zeros((0, 0))
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.plot)
        self.install_hover(self.plot, self.describe_at)
        vb = pi.vb

        def click(ev):
            p = vb.mapSceneToView(ev.scenePos())
            t, u = self.index_at(p.x(), p.y())
            if t is not None:
                self.clicked.emit(t, u)

        self.plot.scene().sigMouseClicked.connect(click)
        self._click = click       # the scene holds the connection only weakly for plain functions

    def set_scale(self, cmap, levels, bar_label=""):
        """Change colour map / levels (only when the run changes, e.g. LSTM c)."""
        if levels != self.levels or cmap is not self.cmap:
            self.cmap, self.levels = cmap, levels
            self.image.setLookupTable(cmap.getLookupTable(0.0, 1.0, 256))
            self.bar.setColorMap(cmap)
            self.bar.setLevels(levels)
            self.image.setLevels(levels)
            self._bar_ticks(levels)
        self.set_bar_label(bar_label)

    def _bar_ticks(self, levels):
        """The ends and the middle only: five labels overlapped in a low heatmap."""
        lo, hi = (float(v) for v in levels)
        self.bar.getAxis("right").setTicks([[(v, f"{v:.3g}") for v in (lo, (lo + hi) / 2, hi)]])

    def set_bar_label(self, text):
        if text != self._bar_label:
            self._bar_label = text
            self.bar.getAxis("right").setLabel(theme.rich(text), **{"font-size": f"{theme.TEXT_PT}pt",
                                                                     "color": theme.FOREGROUND})

    def set_title(self, text: str):
        if text != self.title:
            self.title = text
            self.plot.getPlotItem().setTitle(theme.rich(text), size=f"{theme.TITLE_PT}pt", color=theme.FOREGROUND)

    def set_data(self, arr: np.ndarray | None, name: str = "value", labels=None):
        """arr: (T, H) values; None or empty shows nothing; labels: tokens under the steps."""
        self.name = name
        pi = self.plot.getPlotItem()
        if arr is None or arr.size == 0:
            if not self._empty_shown:
                self._empty_shown = True
                self.data = np.zeros((0, 0))
                self.image.clear()
                pi.setXRange(0.5, 10.5, padding=0)
                pi.setYRange(-0.5, 3.5, padding=0)
                time_ticks(pi, 10)
                integer_ticks(pi, 4, "left", most=5)
                self.empty.setPos(5.5, 1.5)
            self.empty.setVisible(True)
            self.cursor.setVisible(False)
            return
        self._empty_shown = False
        self.empty.setVisible(False)
        self.cursor.setVisible(True)
        self.data = arr
        self.labels = labels
        T, H = arr.shape
        self.image.setImage(np.nan_to_num(arr), autoLevels=False, levels=self.levels)
        self.image.setRect(QRectF(0.5, -0.5, T, H))
        time_ticks(pi, T, labels)
        integer_ticks(pi, H, "left", most=5)
        pi.setXRange(0.5, T + 0.5, padding=0)
        pi.setYRange(-0.5, H - 0.5, padding=0)

    def set_cursor(self, t: int):
        self.cursor.setValue(t + 1)

    def index_at(self, x, y):
        if self.data.size == 0:
            return None, None
        t, u = int(np.floor(x - 0.5)), int(np.floor(y + 0.5))
        T, H = self.data.shape
        if 0 <= t < T and 0 <= u < H:
            return t, u
        return None, None

    def describe_at(self, x, y) -> str:
        t, u = self.index_at(x, y)
        if t is None:
            return ""
        word = f" ({self.labels[t]})" if self.labels is not None and t < len(self.labels) else ""
        return translate("Heatmap", "unit {u}, t = {t}{word}: {name} = {value}").format(
            u=u, t=t + 1, word=word, name=self.name, value=fmt(float(self.data[t, u])))
