"""Dashboard panels: each draws one view of DashboardState (see base.Panel).

``PANELS`` lists the Panel subclasses in display order; the main window
composes its docks from it (``cls(state)``, dock title ``cls.title``, layout
key ``cls.object_id``).
"""
from app.panels.flow import FlowPanel
from app.panels.gates import GatesPanel
from app.panels.gradnorm import GradNormPanel
from app.panels.loss import LossPanel
from app.panels.memory import MemoryPanel
from app.panels.metrics import MetricsPanel
from app.panels.sequence import SequencePanel

PANELS = [SequencePanel, GatesPanel, MemoryPanel, LossPanel, GradNormPanel, FlowPanel, MetricsPanel]

__all__ = ["PANELS", "FlowPanel", "GatesPanel", "GradNormPanel", "LossPanel", "MemoryPanel", "MetricsPanel",
           "SequencePanel"]
