"""The main window: composes the panels as docks, wires controls to the worker and
the worker's packets to the DashboardState, and owns the one UI clock.

No math and no plotting here: panels draw, the worker trains, the state holds.
"""
from __future__ import annotations

import sys

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QMessageBox, QToolBar

from rnncore.config import ConfigError
from rnncore.examples import DisplayExamples

from ..bridge.worker import RunSpec, Worker
from ..state import DashboardState
from .chrome import KEYS, first_words, reached_words, window_title, StatusLine, build_menus, menu_and_banner, restore_settings, save_settings
from .clock import UiClock
from .controls import SPEEDS, TimeBar, TrainingToolbar
from .dialogs import EquationsDialog, NewRunDialog, visible_tasks
from .docks import Docks
from .file_actions import FileActions
from .inputs import DisplayInput
from .lessons import Lessons

DEFAULT_TASK = "agreement"
LAYOUT_VERSION = 6      # bump when the default dock layout changes: older saved layouts are then ignored


class MainWindow(QMainWindow):
    """One run at a time. All methods run in the GUI thread."""

    run_started = Signal()
    panels_built = Signal()
    frame_drawn = Signal()               # a UI clock tick redrew at least one panel (benchmarks count it)

    def __init__(self, worker_mode: str = "process", settings: QSettings | None = None, lazy_panels: bool = False,
                 parent=None):
        super().__init__(parent)
        self.setWindowTitle("RNN Scope")
        self.setObjectName("main_window")
        self.setAcceptDrops(True)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowNestedDocks |
                            QMainWindow.DockOption.AllowTabbedDocks)
        self.settings = settings or QSettings("RNNScope", "rnnscope")
        self.state = DashboardState(self)
        self.worker = Worker(worker_mode, parent=self)
        self.task = self.model_config = self.train_config = None
        self.spec: RunSpec | None = None
        self.run_path: str | None = None
        self.trainable = True
        self._equations_version = -1
        self.examples = DisplayExamples(None, None)
        self._equations: EquationsDialog | None = None
        self._race = None                    # the race window, when open

        self.files = FileActions(self)
        self.lessons = Lessons(self)         # Help › Lessons: the lesson player's dock, made on first use
        self.display_input = DisplayInput(self)
        self._build_controls()
        self.dock_set = Docks(self, lazy_panels)
        d = self.dock_set                    # the same lists, read by menus, the clock and tests
        self.panels, self.panel_docks, self.docks, self.dock_ids = d.panels, d.panel_docks, d.docks, d.dock_ids
        self.default_layout, self.build_panels = d.default_layout, d.build_panels
        build_menus(self, self._menu_bar)
        self.status_line = StatusLine(self.statusBar())
        self.status_labels = self.status_line.labels
        self.clock = UiClock(self.state, self.panels, self.panel_docks, self)
        self._wire()
        self._restore_settings()
        self.update_status(force=True)

    # -- building ------------------------------------------------------------------------
    def _build_controls(self):
        self.toolbar = TrainingToolbar(self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.addToolBarBreak()
        self.time_bar = TimeBar(self)
        tb = QToolBar("Time and input", self)
        tb.setObjectName("time_toolbar")
        tb.addWidget(self.time_bar)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, tb)
        self._menu_bar, self.banner_bar = menu_and_banner(self)
        self.banner = self.banner_bar.label

    def _wire(self):
        tb, w, st, bar = self.toolbar, self.worker, self.state, self.time_bar
        tb.play_toggled.connect(self.on_play_toggled)
        tb.step_requested.connect(self.on_step)
        tb.reset_requested.connect(self.on_reset)
        tb.speed_changed.connect(w.set_speed)
        tb.lr_changed.connect(self.on_lr)
        tb.clip_changed.connect(self.on_clip)
        w.packet_received.connect(self.on_packet)
        w.playing_changed.connect(tb.show_playing)
        w.diverged.connect(self.on_diverged)
        w.reached.connect(lambda text: self.show_banner(reached_words(text, self.state.metrics, self.task),
                                                        action=("Keep training", w.keep_training)))
        w.failed.connect(self.on_failed)
        w.message.connect(self.show_message)
        w.replied.connect(self.on_reply)
        bar.cursor_moved.connect(st.set_cursor)
        bar.example_requested.connect(self.on_example)
        bar.text_entered.connect(self.read_text)
        bar.vocabulary_requested.connect(self.display_input.show_vocabulary)
        st.cursor_changed.connect(self.show_cursor)
        self.clock.ticked.connect(self.update_status)
        self.clock.failed.connect(self.show_message)
        self.clock.frame_drawn.connect(self.frame_drawn)
        for key, slot in ((Qt.Key.Key_Left, lambda: st.set_cursor(st.cursor - 1)),
                          (Qt.Key.Key_Right, lambda: st.set_cursor(st.cursor + 1)),
                          (Qt.Key.Key_Home, lambda: st.set_cursor(0)),
                          (Qt.Key.Key_End, lambda: st.set_cursor(st.steps - 1))):
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.ShortcutContext.WindowShortcut)
            sc.activated.connect(slot)

    # -- runs ---------------------------------------------------------------------------------
    def start_run(self, spec: RunSpec) -> bool:
        """Show a new run: check it here (words for any problem), then build it in the worker."""
        try:
            task, mc, tc = spec.describe()
        except Exception as e:  # noqa: BLE001 - every bad file or value is said, never a crash
            self.show_problem(f"Could not start the run: {e}")
            return False
        self.task, self.model_config, self.train_config, self.spec = task, mc, tc, spec
        self.run_path = spec.run_path
        self.trainable = task is not None or bool(spec.factory)
        self.examples = DisplayExamples(task, mc, tc.seed if tc is not None else 0)
        self.display_input.index = 0
        example = self.examples.get(0)
        self.state.reset_run(task, mc, tc, example)
        self.worker.start(spec)
        self.show_message("Starting the training process …")
        self.worker.set_speed(SPEEDS[self.toolbar.speed.currentIndex()][1])
        self.toolbar.set_trainable(self.trainable)
        if tc is not None:
            self.toolbar.show_config(tc.lr, tc.clip, tc.clip_threshold)
        self.time_bar.show_input_message("")
        self.time_bar.example_label.setText("the notes' example" if task is not None else "")
        if mc is not None:
            self.setWindowTitle(window_title(spec, task, mc))
        words = first_words(task, self.trainable)
        self.show_banner(words, kind="info") if words else self.hide_banner()
        if task is not None:
            self.settings.setValue("last_task", task.name)
        self.run_started.emit()
        return True

    def start_task(self, name: str, **spec_fields) -> bool:
        return self.start_run(RunSpec(task=name, **spec_fields))

    def default_task(self) -> str | None:
        tasks = visible_tasks()
        last = self.settings.value("last_task", DEFAULT_TASK, type=str)
        for name in (last, DEFAULT_TASK):
            if name in tasks:
                return name
        return next(iter(tasks), None)

    def new_run(self):
        dlg = NewRunDialog(self, task=self.task.name if self.task is not None else self.default_task())
        if dlg.exec():
            self.start_run(dlg.spec())

    # -- worker → state ----------------------------------------------------------------------
    def on_packet(self, p):
        if p.reset:
            self.statusBar().clearMessage()
        if self.state.apply(p):
            self.toolbar.show_config(p.lr, *p.clip)
        if p.trace is not None:
            self.show_cursor()

    @property
    def step(self) -> int:
        """Optimizer steps taken (the newest packet's)."""
        return self.state.step

    def on_diverged(self, text: str):
        self.show_banner(text + " Lower the learning rate α or turn on clipping, then press ▶ Play.", kind="error")
        self.show_message(text)

    def on_failed(self, text: str):
        last = [line for line in text.strip().splitlines() if line.strip()][-1:] or ["unknown error"]
        self.show_banner(f"Training stopped by an error: {last[0]}  (full traceback on the terminal)", kind="error")
        print(text, file=sys.stderr)

    def on_reply(self, name: str, value):
        if name == "save" and value:
            self.run_path = value
            self.files._add_recent(value)
            self.show_message(f"Saved the run to {value}")

    # -- controls → worker ------------------------------------------------------------------
    def on_play_toggled(self, on: bool):
        if not self.worker.running or not self.trainable:
            self.toolbar.show_playing(False)
            return
        self.hide_banner()
        self.worker.play() if on else self.worker.pause()

    def on_step(self):
        if self.worker.running and self.trainable:
            self.worker.step_once()

    def on_reset(self):
        if self.worker.running and self.trainable:
            self.worker.reset()
            self.show_message("Reset to step 0: the same initial weights and the same data.")

    def on_lr(self, lr: float):
        try:
            self.worker.set_lr(lr)
            self.show_message(f"Learning rate α = {lr:g} from the next step")
        except ConfigError as e:
            self.show_message(str(e))

    def on_clip(self, mode: str, threshold: float):
        try:
            self.worker.set_clip(mode, threshold)
            self.show_message("Clipping off" if mode == "none" else f"Clipping by {mode} at {threshold:g}")
        except ConfigError as e:
            self.show_message(str(e))

    # -- examples and typed input --------------------------------------------------------------
    def on_example(self, kind: str):
        self.display_input.choose(kind)

    def read_text(self, text: str) -> bool:
        """Encode what the user typed with the task's vocabulary and trace it; unknown tokens are said."""
        return self.display_input.read_text(text)

    # -- the UI clock ----------------------------------------------------------------------------
    def refresh_all(self):
        """Draw every panel now (screenshots, tests)."""
        for panel in self.panels:
            panel.refresh(force=True)
        self.show_cursor()
        self.update_status(force=True)

    def show_cursor(self, *_):
        st = self.state
        self.time_bar.show_cursor(st.cursor, st.steps, st.token_at_cursor())
        if self._equations is not None and self._equations.isVisible():
            self._equations.refresh()

    def update_status(self, force: bool = False):
        if not self.status_line.show(self.state, self.worker.playing, force):
            return
        eq = self._equations
        if eq is not None and eq.isVisible() and self._equations_version != self.state.version:
            self._equations_version = self.state.version        # the values at t change as the network learns
            eq.refresh()

    # -- messages ---------------------------------------------------------------------------------
    def show_message(self, text: str):
        self.statusBar().showMessage(text, 8000)

    def show_banner(self, text: str, kind: str = "info", action: tuple | None = None):
        self.banner_bar.say(text, kind, action)

    def hide_banner(self):
        self.banner_bar.hide()

    def show_problem(self, text: str):
        """A problem the user must read: banner + a non-blocking message box."""
        self.show_banner(text, kind="error")
        box = QMessageBox(QMessageBox.Icon.Warning, "RNN Scope", text, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def show_equations(self):
        if self._equations is None:
            self._equations = EquationsDialog(self.state, self)
        self._equations.show()
        self._equations.raise_()

    def show_keys(self):
        QMessageBox.information(self, "Keys", KEYS)

    # -- files and settings -------------------------------------------------------------------------
    def open_run(self, path: str) -> bool:
        return self.files.open_run(path)

    def import_weights(self, path: str, nonlinearity: str | None = None) -> bool:
        return self.files.import_weights(path, nonlinearity)

    def export_dashboard(self, path):
        return self.files.export_dashboard(path)

    def dragEnterEvent(self, e):
        self.files.drag_enter(e)

    def dropEvent(self, e):
        self.files.drop(e)

    def _restore_settings(self):
        restore_settings(self, LAYOUT_VERSION)

    def save_settings(self):
        save_settings(self, LAYOUT_VERSION)

    def open_race(self):
        """RNN, simplified GRU, GRU and LSTM trained side by side on the current task (its options)."""
        from rnncore.race import RaceSpec
        from .race_window import RaceWindow
        task = self.task
        if task is None:
            self.show_banner("The race needs a task: open one with File > New run.", kind="error")
            return
        if self._race is not None:
            self._race.close()
        self._race = RaceWindow(RaceSpec(task.name, dict(task.options)))
        self._race.resize(1200, 800)
        self._race.show()
        self._race.start()

    def closeEvent(self, e):
        self.clock.stop()
        self.save_settings()
        if self._equations is not None:
            self._equations.close()
        if self._race is not None:
            self._race.close()
        self.worker.stop(timeout=1.0)
        super().closeEvent(e)
