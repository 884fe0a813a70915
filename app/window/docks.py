"""The dashboard's docks: one per panel class (app.panels.PANELS, then the insight tools),
their default layout and proportions. Composed by the main window; GUI thread."""
from __future__ import annotations

import weakref

import sys

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QLabel

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
        for first, second in (("loss", "gradnorm"), ("flow", "metrics")):
            d = by_id.get(second)
            if d is not None and by_id.get(first) is not None:
                self.window.splitDockWidget(by_id[first], d, Qt.Orientation.Vertical)
                placed.add(second)
        # other panels (the insight tools, ...) start hidden, as tabs beside the gradient-flow
        # panel: View shows them there without squeezing the four columns
        host = by_id.get("flow") or (self.docks[0] if self.docks else None)
        for oid, d in zip(self.dock_ids, self.docks):
            if oid not in placed:
                if host is not None and host is not d:
                    self.window.tabifyDockWidget(host, d)
                else:
                    self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, d)
                d.hide()
        if host is not None:
            host.raise_()
        self.size_docks()
        if not self.layout_restored:
            QTimer.singleShot(0, self.size_docks)  # again once the window has its real size

    def size_docks(self):
        """Default proportions (resizeDocks takes pixels; columns share what the strip leaves)."""
        by_id = dict(zip(self.dock_ids, self.docks))
        W = self.window.width()
        if "sequence" in by_id:
            seq = by_id["sequence"]
            self.window.resizeDocks([seq], [max(200, seq.widget().sizeHint().height() + 30)], Qt.Orientation.Vertical)
        cols = [by_id[k] for k in ("gates", "memory", "loss", "flow") if k in by_id]
        if len(cols) == 4:
            self.window.resizeDocks(cols, [int(W * f) for f in (0.31, 0.23, 0.23, 0.23)], Qt.Orientation.Horizontal)
        for top, bottom, share in (("loss", "gradnorm", 0.55), ("flow", "metrics", 0.5)):
            if top in by_id and bottom in by_id:
                h = by_id[top].height() + by_id[bottom].height()
                self.window.resizeDocks([by_id[top], by_id[bottom]], [int(h * share), h - int(h * share)],
                                 Qt.Orientation.Vertical)
