"""The dashboard's docks: one per panel class (app.panels.PANELS, then the insight tools),
their default layout and proportions. Composed by the main window; GUI thread."""
from __future__ import annotations

import weakref

import sys

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QLabel, QTabBar

from .geometry import available, squeezed

#: screens less tall than this get the compact layout (loss | norms and flow | metrics as tabs)
COMPACT_BELOW = 900

def panel_classes():
    """The Panel subclasses in display order (app.panels.PANELS, maintained by the panels)."""
    try:
        from ..panels import PANELS
    except ImportError:
        return []
    return list(PANELS) + _insight_panels()


def _insight_panels():
    """app.insight.INSIGHT_PANELS (issue 5), after the dashboard's own; none if they fail to import."""
    try:
        from ..insight import INSIGHT_PANELS
    except ImportError:
        return []
    return list(INSIGHT_PANELS)


class Docks:
    """The docks and the panels built into them."""

    def __init__(self, window, lazy: bool):
        """A dock per panel class; the panels themselves now, or right after the window shows."""
        self._window = weakref.ref(window)   # the window owns this object, not the other way round
        self.layout_restored = False         # the saved layout was restored: keep its sizes
        self.panels, self.panel_docks = [], []      # built panels and their docks
        self.docks, self.dock_ids, self._classes = [], [], []
        self._tool_hooked: set = set()
        for cls in panel_classes():
            oid = cls.object_id or cls.__name__
            dock = QDockWidget(cls.title or cls.__name__, self.window)
            dock.setObjectName(f"dock_{oid}")
            dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable |
                             QDockWidget.DockWidgetFeature.DockWidgetMovable |
                             QDockWidget.DockWidgetFeature.DockWidgetFloatable)
            dock.setWidget(QLabel("  …"))
            self.docks.append(dock)
            self.dock_ids.append(oid)
            self._classes.append(cls)
        self.default_layout()
        if lazy:
            QTimer.singleShot(0, self.build_panels)
        else:
            self.build_panels()

    @property
    def window(self):
        return self._window()

    def build_panels(self):
        """Build every panel into its dock (the slow part of start-up: ~20 pyqtgraph plots)."""
        if self.panels:
            return
        for cls, dock in zip(self._classes, self.docks):
            try:
                panel = cls(self.window.state)
            except Exception as e:  # noqa: BLE001 - one broken panel must not take the window down
                print(f"rnnscope: panel {getattr(cls, 'object_id', cls.__name__)} failed to build: {e}",
                      file=sys.stderr)
                dock.setWidget(QLabel(f"  This panel could not be built: {e}"))
                continue
            dock.setWidget(panel)
            self.panels.append(panel)
            self.panel_docks.append(dock)
        self.window.panels_built.emit()

    def default_layout(self):
        """Sequence on top; gates and memory on the left; loss, norms, flow, metrics on the right."""
        by_id = dict(zip(self.dock_ids, self.docks))
        for d in self.docks:
            d.setFloating(False)
            d.show()
        placed = set()

        def put(area, oid):
            d = by_id.get(oid)
            if d is not None:
                self.window.addDockWidget(area, d)
                placed.add(oid)
            return d

        # four columns under the sequence strip (panels' minimum heights need them to fit 1000 px):
        # gates | memory | loss over norms | gradient flow over metrics
        put(Qt.DockWidgetArea.TopDockWidgetArea, "sequence")
        put(Qt.DockWidgetArea.LeftDockWidgetArea, "gates")
        prev = put(Qt.DockWidgetArea.RightDockWidgetArea, "memory")
        for oid in ("loss", "flow"):
            d = by_id.get(oid)
            if d is None:
                continue
            if prev is not None:
                self.window.splitDockWidget(prev, d, Qt.Orientation.Horizontal)
            else:
                self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, d)
            placed.add(oid)
            prev = d
        # on a short screen (1366 × 768) two panels stacked in a column are each too low to read:
        # they become two tabs of that column instead
        compact = available(self.window).height() < COMPACT_BELOW
        for first, second in (("loss", "gradnorm"), ("flow", "metrics")):
            d = by_id.get(second)
            if d is not None and by_id.get(first) is not None:
                if compact:
                    self.window.tabifyDockWidget(by_id[first], d)
                else:
                    self.window.splitDockWidget(by_id[first], d, Qt.Orientation.Vertical)
                placed.add(second)
                if compact:
                    by_id[first].raise_()
        # other panels (the insight tools, ...) start hidden; View opens each as its own window over
        # the dashboard, never squeezing a column (the user may dock it: a saved layout keeps that)
        for oid, d in zip(self.dock_ids, self.docks):
            if oid not in placed:
                self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, d)
                d.setProperty("placed", False)
                d.hide()
                if oid not in self._tool_hooked:
                    self._tool_hooked.add(oid)
                    d.visibilityChanged.connect(lambda on, dock=d: on and self._place_tool(dock))
        self.size_docks()
        if not self.layout_restored:
            QTimer.singleShot(0, self.size_docks)  # again once the window has its real size

    def _place_tool(self, dock):
        """A tool opened for the first time since the default layout (or docked where it squeezes a
        column): its own window, a readable size, over the dashboard, on the screen."""
        fresh = dock.property("placed") is False and not self.layout_restored
        if dock.isFloating() or not (fresh or squeezed(dict(zip(self.dock_ids, self.docks)))):
            return
        dock.setProperty("placed", True)
        dock.setFloating(True)
        a, g = available(self.window), self.window.geometry()
        w, h = min(760, a.width() - 40), min(560, a.height() - 80)
        dock.resize(w, h)
        dock.move(max(a.x(), min(g.center().x() - w // 2, a.right() - w)),
                  max(a.y(), min(g.center().y() - h // 2, a.bottom() - h)))

    def size_docks(self):
        """Default proportions (resizeDocks takes pixels; columns share what the strip leaves)."""
        by_id = dict(zip(self.dock_ids, self.docks))
        W = self.window.width()
        if "sequence" in by_id:
            seq = by_id["sequence"]
            want = seq.widget().sizeHint().height() + 30     # the strip's rows (SequencePanel.sizeHint)
            self.window.resizeDocks([seq], [want], Qt.Orientation.Vertical)
            if seq.height() > want + 40 and not seq.isFloating():   # the top area kept the space: cap it
                seq.setMaximumHeight(want)                       # for a moment, so the columns get it
                QTimer.singleShot(0, lambda: seq.setMaximumHeight(16777215))
        cols = [by_id[k] for k in ("gates", "memory", "loss", "flow") if k in by_id]
        if len(cols) == 4:
            self.window.resizeDocks(cols, [int(W * f) for f in (0.28, 0.25, 0.24, 0.23)], Qt.Orientation.Horizontal)
        for bar in self.window.findChildren(QTabBar):     # whole tab titles (a column's two tabs fit)
            bar.setElideMode(Qt.TextElideMode.ElideNone)
            bar.setUsesScrollButtons(True)
        for top, bottom, share in (("loss", "gradnorm", 0.55), ("flow", "metrics", 0.5)):
            if top in by_id and bottom in by_id and not self.window.tabifiedDockWidgets(by_id[top]):
                h = by_id[top].height() + by_id[bottom].height()
                self.window.resizeDocks([by_id[top], by_id[bottom]], [int(h * share), h - int(h * share)],
                                 Qt.Orientation.Vertical)
