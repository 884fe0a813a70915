"""The window's size on the screen it opens on: sized to the screen's available geometry, a
minimum size, and the dashboard docks kept at a readable width. GUI thread."""
from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication

PREFERRED = (1920, 1200)     # the whole of a desktop monitor or a projector; more is wasted
MINIMUM = (960, 600)         # below this the four columns cannot all be read
FRAME = (8, 36)              # a window manager's frame and title bar, kept on the screen too
#: the dashboard's docks (the insight tools are not squeezed *into* the layout, they float instead)
DASHBOARD = ("sequence", "gates", "memory", "loss", "gradnorm", "flow", "metrics")
READABLE_WIDTH = 240         # a dashboard dock narrower than this is squeezed (titles and heatmaps cut)


def available(window) -> QRect:
    """The available geometry (without task bars) of the screen the window is on."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, *PREFERRED)


def set_minimum(window):
    """A minimum size, never more than the screen."""
    a = available(window)
    window.setMinimumSize(min(MINIMUM[0], a.width() - FRAME[0]), min(MINIMUM[1], a.height() - FRAME[1]))


def fit_to_screen(window):
    """The preferred size, or the screen's available size less a frame, centred on it."""
    a = available(window)
    w = min(PREFERRED[0], a.width() - FRAME[0])
    h = min(PREFERRED[1], a.height() - FRAME[1])
    window.resize(w, h)
    window.move(a.x() + (a.width() - w - FRAME[0]) // 2, a.y() + (a.height() - h - FRAME[1]) // 2)


def inside_screen(window) -> bool:
    """Is the whole window (frame included) on the available screen?"""
    return available(window).contains(window.frameGeometry())


def squeezed(docks: dict) -> list[str]:
    """Shown, docked dashboard docks narrower than :data:`READABLE_WIDTH` (ids; a tab behind
    another is not shown)."""
    return [oid for oid, d in docks.items()
            if oid in DASHBOARD and d.isVisible() and not d.isFloating() and not d.visibleRegion().isEmpty()
            and d.width() < READABLE_WIDTH]
