"""The main window's chrome: its menus, the banner under the menu bar, the status line and
the settings it restores.
Each is built here and only shows what the window tells it; GUI thread."""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenuBar, QPushButton, QToolButton, QVBoxLayout, QWidget

from .geometry import fit_to_screen, inside_screen, set_minimum, squeezed

KEYS = ("Space  play / pause\nS  one optimizer step\nR  reset (same initial weights)\n← →  move t\n"
        "Home End  first / last step\nEsc / Enter  leave the text box (keys act on training again)\nF1  equations at t\nCtrl+N new run, Ctrl+O open, Ctrl+S save, Ctrl+E export")


def window_title(spec, task, mc) -> str:
    """"RNN Scope — task, cell[ bidirectional][, n layers][ — file]"."""
    name = (task.title or task.name) if task is not None else Path(spec.torch_path or "").name
    where = f" — {Path(spec.run_path).name}" if spec.run_path else ""
    return (f"RNN Scope — {name}, {mc.cell}{' bidirectional' if mc.bidirectional else ''}"
            f"{f', {mc.num_layers} layers' if mc.num_layers > 1 else ''}{where}")


def first_words(task, trainable: bool) -> str:
    """The banner of a new run: the task's lesson and how to start, or why training is off."""
    if not trainable:
        return ("Imported weights: no task, so training is off. The display example has random "
                "inputs; ◀ ▶ random draw others.")
    return f"{getattr(task, 'lesson', '')}  Press ▶ Play (Space) to train, S for one step." if task is not None else ""


def reached_words(text: str, metrics: dict, task) -> str:
    """The banner when play paused itself: what was reached, whether the target is met, what next."""
    met = None
    if metrics and task is not None:
        try:
            met = bool(task.target_reached(metrics))
        except Exception:  # noqa: BLE001 - metrics of another shape: say nothing about the target
            met = None
    target = {True: "; the task's target is met", False: "; the task's target is not met yet", None: ""}[met]
    return (f"{text}{target}. Training paused so you can look: scrub t, open the tools, or keep training "
            "(▶ Play also goes on).")


def reset_layout(w) -> None:
    """The default docks, in a window that fits its screen."""
    if not inside_screen(w):
        fit_to_screen(w)
    w.default_layout()


def build_menus(w, menu_bar: QMenuBar) -> None:
    """File, Training, View and Help of the main window ``w``."""
    def action(menu, text, slot, shortcut=None):
        a = QAction(text, w)
        if shortcut is not None:
            a.setShortcut(QKeySequence(shortcut))
        a.triggered.connect(slot)
        menu.addAction(a)
        return a

    f = menu_bar.addMenu("&File")
    action(f, "&New run…", w.new_run, QKeySequence.StandardKey.New)
    action(f, "&Open run…", w.files.open_run_dialog, QKeySequence.StandardKey.Open)
    w.recent_menu = f.addMenu("Open &recent")
    w.recent_menu.aboutToShow.connect(lambda: w.files.fill_recent(w.recent_menu))
    action(f, "&Save run", w.files.save_run, QKeySequence.StandardKey.Save)
    action(f, "Save run &as…", w.files.save_run_as, QKeySequence.StandardKey.SaveAs)
    f.addSeparator()
    action(f, "&Import PyTorch weights…", w.files.import_weights_dialog)
    f.addSeparator()
    ex = f.addMenu("&Export")
    action(ex, "Dashboard as PNG or SVG…", w.files.export_dashboard_dialog, "Ctrl+E")
    panel_menu = ex.addMenu("One panel as PNG or SVG")
    for dock in w.docks:
        action(panel_menu, dock.windowTitle(), lambda _=False, d=dock: w.files.export_panel_dialog(d.widget()))
    action(ex, "Training history as CSV…", w.files.export_history_dialog)
    action(ex, "Trace of the example as .npz…", lambda: w.files.export_trace_dialog("npz"))
    action(ex, "Trace of the example as CSV…", lambda: w.files.export_trace_dialog("csv"))
    f.addSeparator()
    action(f, "&Quit", w.close, QKeySequence.StandardKey.Quit)

    t = menu_bar.addMenu("&Training")
    for a in (w.toolbar.play_action, w.toolbar.step_action, w.toolbar.reset_action):
        t.addAction(a)
    action(t, "Evaluate the task's metrics now", w.worker.evaluate, "Ctrl+M")
    action(t, "Race the four cells on this task…", w.open_race)

    v = menu_bar.addMenu("&View")
    for d in w.docks:
        v.addAction(d.toggleViewAction())
    v.addSeparator()
    action(v, "Reset layout", lambda: reset_layout(w))
    h = menu_bar.addMenu("&Help")
    action(h, "Equations of the cell (values at t)", w.show_equations, QKeySequence.StandardKey.HelpContents)
    action(h, "Keys", w.show_keys)
    action(h, "&Lessons", lambda: w.lessons.open())


class Banner(QWidget):
    """A message across the window (info or error), with a button to hide it."""

    COLOURS = {"info": ("#e7f5ff", "#1864ab"), "error": ("#fff5f5", "#c92a2a")}

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("banner_bar")
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 2, 4, 2)
        self.label = QLabel("")
        self.label.setObjectName("banner")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.label, 1)
        self.action = QPushButton("")
        self.action.setObjectName("banner_action")
        self.action.clicked.connect(self._act)
        self.action.hide()
        self._callback = None
        row.addWidget(self.action)
        close = QToolButton()
        close.setText("✕")
        close.setToolTip("Hide this message")
        close.clicked.connect(self.hide)
        row.addWidget(close)
        self.hide()

    def say(self, text: str, kind: str = "info", action: tuple | None = None):
        """``action``: (button text, callback) beside the words, e.g. "Keep training"."""
        self._callback = action[1] if action else None
        self.action.setText(action[0] if action else "")
        self.action.setVisible(action is not None)
        bg, fg = self.COLOURS.get(kind, self.COLOURS["info"])
        self.label.setStyleSheet(f"background:{bg}; color:{fg}; padding:6px; font-size:13pt;")
        self.label.setText(text)
        self.label.setToolTip(text)
        self.show()

    def _act(self):
        callback = self._callback
        self.hide()
        if callback is not None:
            callback()


def menu_and_banner(window) -> tuple[QMenuBar, Banner]:
    """The menu bar with the banner under it, as the window's menu widget (a wrapped label
    inside a toolbar gets a wrong height)."""
    top = QWidget(window)
    col = QVBoxLayout(top)
    col.setContentsMargins(0, 0, 0, 0)
    col.setSpacing(0)
    menu_bar = QMenuBar(top)
    col.addWidget(menu_bar)
    banner = Banner(top)
    col.addWidget(banner)
    window.setMenuWidget(top)
    return menu_bar, banner


class StatusLine:
    """Step, loss, speed and clipping in the status bar, at most 5 times a second."""

    def __init__(self, status_bar):
        self.labels = {}
        for key, tip in (("step", "optimizer steps taken"), ("loss", "L = Σ_t L<t> of the latest batch"),
                         ("rate", "training speed"), ("clip", "fraction of steps whose gradient was clipped")):
            lab = QLabel("")
            lab.setObjectName(f"status_{key}")
            lab.setToolTip(tip)
            lab.setMinimumWidth(110)
            status_bar.addPermanentWidget(lab)
            self.labels[key] = lab
        self._last = 0.0

    def show(self, state, playing: bool, force: bool = False) -> bool:
        """→ False if skipped (shown less than 0.2 s ago)."""
        now = time.perf_counter()
        if not force and now - self._last < 0.2:
            return False
        self._last = now
        lab, snap, h = self.labels, state.snapshot, state.history
        lab["step"].setText(f"step {state.step}")
        loss = snap.loss if snap is not None else (float(h.data["loss"][h.n - 1]) if h.n else float("nan"))
        lab["loss"].setText(f"L = {loss:.4g}" if np.isfinite(loss) else "L = –")
        lab["rate"].setText(f"{state.rate:.0f} steps/s" if playing else "paused")
        frac = float(np.mean(h.data["clip_fraction"][:h.n])) if h.n else 0.0
        lab["clip"].setText(f"clipped {100 * frac:.0f} % of steps")
        return True


def restore_settings(w, version: int):
    """Geometry, dock layout (if saved with this layout version), speed, equations shown."""
    set_minimum(w)
    geo = w.settings.value("geometry")
    if geo is None or not w.restoreGeometry(geo) or not inside_screen(w):
        fit_to_screen(w)                 # a first start, or a layout saved on a bigger screen
    layout = w.settings.value("window_state")
    if layout is not None and w.restoreState(layout, version):
        w.dock_set.layout_restored = True
    w.banner_bar.hide()
    speed = w.settings.value("speed_index", 0, type=int)
    if 0 <= speed < w.toolbar.speed.count():
        w.toolbar.speed.setCurrentIndex(speed)
    if w.settings.value("show_equations", False, type=bool):   # bools come back as strings without type=
        QTimer.singleShot(0, w.show_equations)


def save_settings(w, version: int):
    """What restore_settings reads back."""
    w.settings.setValue("geometry", w.saveGeometry())
    if not squeezed(dict(zip(w.dock_ids, w.docks))):     # a squeezed layout is not kept for the next start
        w.settings.setValue("window_state", w.saveState(version))
    w.settings.setValue("speed_index", w.toolbar.speed.currentIndex())
    w.settings.setValue("show_equations", bool(w._equations is not None and w._equations.isVisible()))
    w.settings.sync()
