"""The main window's chrome: its menus, the banner under the menu bar, the status line and
the settings it restores.
Each is built here and only shows what the window tells it; GUI thread."""
from __future__ import annotations

import time
import weakref
from pathlib import Path

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenuBar, QPushButton, QToolButton, QVBoxLayout, QWidget

from .. import i18n
from ..i18n import translate
from .geometry import fit_to_screen, inside_screen, set_minimum, squeezed
from .task_words import task_lesson, task_title


def keys_text() -> str:
    """Help › Keys."""
    return translate("Chrome", "Space  play / pause\nS  one optimizer step\nR  reset (same initial weights)\n"
                     "← →  move t\nHome End  first / last step\nEsc / Enter  leave the text box (keys act on "
                     "training again)\nF1  equations at t\nCtrl+N new run, Ctrl+O open, Ctrl+S save, Ctrl+E export")


KEYS = keys_text()      # the English text (main_window shows it; keys_text() in the interface's language)


def window_title(spec, task, mc) -> str:
    """"RNN Scope — task, cell[ bidirectional][, n layers][ — file]"."""
    name = task_title(task) if task is not None else Path(spec.torch_path or "").name
    where = f" — {Path(spec.run_path).name}" if spec.run_path else ""
    bi = translate("Chrome", " bidirectional") if mc.bidirectional else ""
    layers = translate("Chrome", ", {n} layers").format(n=mc.num_layers) if mc.num_layers > 1 else ""
    return f"RNN Scope — {name}, {mc.cell}{bi}{layers}{where}"


def first_words(task, trainable: bool) -> str:
    """The banner of a new run: the task's lesson and how to start, or why training is off."""
    if not trainable:
        return translate("Chrome", "Imported weights: no task, so training is off. The display example has random "
                         "inputs; ◀ ▶ random draw others.")
    if task is None:
        return ""
    return f"{task_lesson(task)}  " + translate("Chrome", "Press ▶ Play (Space) to train, S for one step.")


def reached_words(text: str, metrics: dict, task) -> str:
    """The banner when play paused itself: what was reached, whether the target is met, what next."""
    met = None
    if metrics and task is not None:
        try:
            met = bool(task.target_reached(metrics))
        except Exception:  # noqa: BLE001 - metrics of another shape: say nothing about the target
            met = None
    target = {True: translate("Chrome", "; the task's target is met"),
              False: translate("Chrome", "; the task's target is not met yet"), None: ""}[met]
    return f"{text}{target}. " + translate("Chrome", "Training paused so you can look: scrub t, open the tools, "
                                                     "or keep training (▶ Play also goes on).")


def diverged_words(text: str) -> str:
    return text + translate("MainWindow", " Lower the learning rate α or turn on clipping, then press ▶ Play.")


def failed_words(traceback_text: str) -> str:
    """The banner of a training error: its traceback's last line."""
    last = [line for line in traceback_text.strip().splitlines() if line.strip()][-1:] or ["unknown error"]
    return translate("MainWindow", "Training stopped by an error: {error}  (full traceback on the terminal)").format(
        error=last[0])


def keep_words() -> str:
    return translate("MainWindow", "Keep training")


def lr_words(lr: float) -> str:
    return translate("MainWindow", "Learning rate α = {lr} from the next step").format(lr=f"{lr:g}")


def clip_words(mode: str, threshold: float) -> str:
    if mode == "none":
        return translate("MainWindow", "Clipping off")
    return translate("MainWindow", "Clipping by {mode} at {threshold}").format(mode=mode, threshold=f"{threshold:g}")


def reset_layout(w) -> None:
    """The default docks, in a window that fits its screen."""
    if not inside_screen(w):
        fit_to_screen(w)
    w.default_layout()


def build_menus(w, menu_bar: QMenuBar) -> None:
    """File, Training, View and Help of the main window ``w``; their texts follow View › Language."""
    texts = []          # (action, context, source text): re-translated when the language changes

    def named(a, text, context="Menu"):
        a.setText(translate(context, text))
        texts.append((a, context, text))
        return a

    def action(menu, text, slot, shortcut=None, context="Menu"):
        a = named(QAction(menu), text, context)
        if shortcut is not None:
            a.setShortcut(QKeySequence(shortcut))
        a.triggered.connect(slot)
        menu.addAction(a)
        return a

    def submenu(parent, text):
        m = parent.addMenu("")
        named(m.menuAction(), text)
        return m

    f = submenu(menu_bar, QT_TRANSLATE_NOOP("Menu", "&File"))
    action(f, QT_TRANSLATE_NOOP("Menu", "&New run…"), w.new_run, QKeySequence.StandardKey.New)
    action(f, QT_TRANSLATE_NOOP("Menu", "&Open run…"), w.files.open_run_dialog, QKeySequence.StandardKey.Open)
    w.recent_menu = submenu(f, QT_TRANSLATE_NOOP("Menu", "Open &recent"))
    w.recent_menu.aboutToShow.connect(lambda: w.files.fill_recent(w.recent_menu))
    action(f, QT_TRANSLATE_NOOP("Menu", "&Save run"), w.files.save_run, QKeySequence.StandardKey.Save)
    action(f, QT_TRANSLATE_NOOP("Menu", "Save run &as…"), w.files.save_run_as, QKeySequence.StandardKey.SaveAs)
    f.addSeparator()
    action(f, QT_TRANSLATE_NOOP("Menu", "&Import PyTorch weights…"), w.files.import_weights_dialog)
    f.addSeparator()
    ex = submenu(f, QT_TRANSLATE_NOOP("Menu", "&Export"))
    action(ex, QT_TRANSLATE_NOOP("Menu", "Dashboard as PNG or SVG…"), w.files.export_dashboard_dialog, "Ctrl+E")
    panel_menu = submenu(ex, QT_TRANSLATE_NOOP("Menu", "One panel as PNG or SVG"))
    for dock, cls in zip(w.docks, w.dock_set.classes):
        action(panel_menu, cls.title or cls.__name__, lambda _=False, d=dock: w.files.export_panel_dialog(d.widget()),
               context="Panel")
    action(ex, QT_TRANSLATE_NOOP("Menu", "Training history as CSV…"), w.files.export_history_dialog)
    action(ex, QT_TRANSLATE_NOOP("Menu", "Trace of the example as .npz…"), lambda: w.files.export_trace_dialog("npz"))
    action(ex, QT_TRANSLATE_NOOP("Menu", "Trace of the example as CSV…"), lambda: w.files.export_trace_dialog("csv"))
    f.addSeparator()
    action(f, QT_TRANSLATE_NOOP("Menu", "&Quit"), w.close, QKeySequence.StandardKey.Quit)

    t = submenu(menu_bar, QT_TRANSLATE_NOOP("Menu", "&Training"))
    for a in (w.toolbar.play_action, w.toolbar.step_action, w.toolbar.reset_action):
        t.addAction(a)
    action(t, QT_TRANSLATE_NOOP("Menu", "Evaluate the task's metrics now"), w.worker.evaluate, "Ctrl+M")
    action(t, QT_TRANSLATE_NOOP("Menu", "Race the four cells on this task…"), w.open_race)

    v = submenu(menu_bar, QT_TRANSLATE_NOOP("Menu", "&View"))
    for d in w.docks:
        v.addAction(d.toggleViewAction())
    v.addSeparator()
    action(v, QT_TRANSLATE_NOOP("Menu", "Reset layout"), lambda: reset_layout(w))
    w.language_menu = language_menu(w, submenu(v, QT_TRANSLATE_NOOP("Menu", "Language / 语言")), named)
    h = submenu(menu_bar, QT_TRANSLATE_NOOP("Menu", "&Help"))
    action(h, QT_TRANSLATE_NOOP("Menu", "Equations of the cell (values at t)"), w.show_equations,
           QKeySequence.StandardKey.HelpContents)
    action(h, QT_TRANSLATE_NOOP("Menu", "Keys"), w.show_keys)
    action(h, QT_TRANSLATE_NOOP("Menu", "&Lessons"), lambda: w.lessons.open())
    Retranslator(w, texts)          # a child of w: lives as long as the window


def language_menu(w, menu, named):
    """View › Language: English / 中文, remembered; applied at once (what cannot follow says so)."""
    group = QActionGroup(menu)
    for lang in i18n.LANGS:
        a = QAction(i18n.NAMES[lang], menu, checkable=True)
        a.setChecked(lang == i18n.current())
        a.setData(lang)
        a.triggered.connect(lambda _=False, lang=lang: switch_language(w, lang))
        group.addAction(a)
        menu.addAction(a)
    menu.addSeparator()
    note = named(QAction(menu), QT_TRANSLATE_NOOP("Menu", "Plots' inner labels change after a restart"))
    note.setEnabled(False)
    menu.addAction(note)
    return menu


def switch_language(w, lang: str) -> bool:
    """Remember ``lang`` and install it now (Qt then sends every widget a LanguageChange)."""
    from .lessons import missing_font_message
    i18n.remember(w.settings, lang)
    problem = missing_font_message(lang)
    if problem:
        w.show_banner(problem, kind="error")
        lang = "en"
    ok = i18n.install(lang)
    for a in w.language_menu.actions():
        if a.isCheckable():
            a.setChecked(a.data() == i18n.current())
    return ok


class Retranslator(QObject):
    """Re-translates the window's chrome on QEvent.LanguageChange (View › Language): the menus,
    the docks' titles (the panels' titles), the window title, the status line. Toolbars, the
    lesson player and the equations re-translate themselves (their changeEvent); the plots'
    inner labels keep the language they were built in until the next start."""

    def __init__(self, w, texts):
        super().__init__(w)
        self._window = weakref.ref(w)   # the window owns this object, not the other way round
        self.texts = texts
        w.installEventFilter(self)

    def eventFilter(self, obj, e):
        if e.type() == QEvent.Type.LanguageChange and obj is self._window():
            self.retranslate()
        return False

    def retranslate(self):
        w = self._window()
        for a, context, text in self.texts:
            a.setText(translate(context, text))
        w.dock_set.retranslate()
        if w.lessons.dock is not None:
            w.lessons.dock.setWindowTitle(translate("Lessons", "Lesson"))
        w.status_line.retranslate()
        w.banner_bar.retranslate()
        if w.spec is not None and w.model_config is not None:
            w.setWindowTitle(window_title(w.spec, w.task, w.model_config))
        w.update_status(force=True)


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
        self.close_button = close = QToolButton()
        close.setText("✕")
        close.clicked.connect(self.hide)
        row.addWidget(close)
        self.retranslate()
        self.hide()

    def retranslate(self):
        self.close_button.setToolTip(translate("Chrome", "Hide this message"))

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
        for key in ("step", "loss", "rate", "clip"):
            lab = QLabel("")
            lab.setObjectName(f"status_{key}")
            lab.setMinimumWidth(110)
            status_bar.addPermanentWidget(lab)
            self.labels[key] = lab
        self.retranslate()
        self._last = 0.0

    def retranslate(self):
        for key, tip in (("step", translate("StatusLine", "optimizer steps taken")),
                         ("loss", translate("StatusLine", "L = Σ_t L<t> of the latest batch")),
                         ("rate", translate("StatusLine", "training speed")),
                         ("clip", translate("StatusLine", "fraction of steps whose gradient was clipped"))):
            self.labels[key].setToolTip(tip)

    def show(self, state, playing: bool, force: bool = False) -> bool:
        """→ False if skipped (shown less than 0.2 s ago)."""
        now = time.perf_counter()
        if not force and now - self._last < 0.2:
            return False
        self._last = now
        lab, snap, h = self.labels, state.snapshot, state.history
        lab["step"].setText(translate("StatusLine", "step {n}").format(n=state.step))
        loss = snap.loss if snap is not None else (float(h.data["loss"][h.n - 1]) if h.n else float("nan"))
        lab["loss"].setText(f"L = {loss:.4g}" if np.isfinite(loss) else "L = –")
        lab["rate"].setText(translate("StatusLine", "{rate} steps/s").format(rate=f"{state.rate:.0f}") if playing
                            else translate("StatusLine", "paused"))
        frac = float(np.mean(h.data["clip_fraction"][:h.n])) if h.n else 0.0
        lab["clip"].setText(translate("StatusLine", "clipped {pct} % of steps").format(pct=f"{100 * frac:.0f}"))
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
