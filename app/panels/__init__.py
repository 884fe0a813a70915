"""Dashboard panels: each draws one view of DashboardState (see base.Panel)."""
