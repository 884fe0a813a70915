"""Insight tools (issue 5): analyses no other RNN viewer offers, as dashboard panels.

``INSIGHT_PANELS`` lists the Panel subclasses (app/panels/base.py contract) in
display order; the main window adds them after app.panels.PANELS. Heavy
analyses run on Qt's thread pool (app/insight/jobs.py) on private copies of the
newest weights (``DashboardState.weights``); rnncore/probe.py holds the
Qt-free unit probes that bench/ablation.py shares.
"""
from app.panels.diagram import CellDiagramPanel
from app.insight.gradcheck import GradCheckPanel
from app.insight.influence import InfluencePanel
from app.insight.saturation import SaturationPanel
from app.insight.trajectory import TrajectoryPanel
from app.insight.unit_text import UnitTextPanel
from app.insight.units import UnitsPanel

INSIGHT_PANELS = [CellDiagramPanel, SaturationPanel, UnitsPanel, UnitTextPanel, TrajectoryPanel, InfluencePanel,
                  GradCheckPanel]

__all__ = ["INSIGHT_PANELS", "CellDiagramPanel", "GradCheckPanel", "InfluencePanel", "SaturationPanel",
           "TrajectoryPanel", "UnitTextPanel", "UnitsPanel"]
