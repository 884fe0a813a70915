"""The main window: composes the panels as docks, wires controls to the worker and
the worker's packets to the DashboardState, and owns the one UI clock.

No math and no plotting here: panels draw, the worker trains, the state holds.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (QDockWidget, QLabel, QMainWindow, QMenuBar, QMessageBox,
                               QToolBar, QToolButton, QVBoxLayout, QHBoxLayout, QWidget)

from rnncore.config import ConfigError
from rnncore.history import History
from rnncore.inputs import InputError

from .controls import TimeBar, TrainingToolbar
from .file_actions import FileActions
from .dialogs import EquationsDialog, NewRunDialog, check_spec, visible_tasks
from ..state import DashboardState
from ..bridge.worker import RunSpec, Worker

UI_HZ = 30
PANELS_PER_TICK = 1     # panels refreshed per UI clock tick (round robin): measured p99 stall 22 ms vs 54 ms with 2
TICK_BUDGET = 0.008     # seconds of refresh work per tick before the rest waits for the next tick
DEFAULT_TASK = "agreement"
LAYOUT_VERSION = 5      # bump when the default dock layout changes: older saved layouts are then ignored


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


class MainWindow(FileActions, QMainWindow):
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
        self.frames = 0                  # UI clock ticks that redrew at least one panel
        self.panel_redraws = 0           # panel refreshes in all
        self._next_panel = 0
        self._equations_version = -1
        self._examples: dict[int, object] = {}
        self._example_index = 0
        self._last_status = 0.0
        self._drawn = (-1, -1)
        self._equations: EquationsDialog | None = None
        self._race = None                    # the race window, when open

        self._build_controls()
        self._build_docks(lazy_panels)
        self._build_menus()
        self._build_status()
        self._wire()
        self._restore_settings()

        self.clock = QTimer(self)
        self.clock.setInterval(int(1000 / UI_HZ))
        self.clock.timeout.connect(self.tick)
        self.clock.start()

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
        # the banner sits under the menu bar (a wrapped label inside a toolbar gets a wrong height)
        top = QWidget(self)
        col = QVBoxLayout(top)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        col.addWidget(QMenuBar(top))
        self.banner_bar = QWidget(top)
        self.banner_bar.setObjectName("banner_bar")
        row = QHBoxLayout(self.banner_bar)
        row.setContentsMargins(4, 2, 4, 2)
        self.banner = QLabel("")
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.banner, 1)
        close = QToolButton()
        close.setText("✕")
        close.setToolTip("Hide this message")
        close.clicked.connect(self.hide_banner)
        row.addWidget(close)
        col.addWidget(self.banner_bar)
        self.setMenuWidget(top)
        self._menu_bar = top.findChild(QMenuBar)
        self.banner_bar.hide()

    def _build_docks(self, lazy: bool):
        """A dock per panel class; the panels themselves now, or right after the window shows."""
        self.panels, self.panel_docks = [], []      # built panels and their docks
        self.docks, self.dock_ids, self._classes = [], [], []
        for cls in panel_classes():
            oid = cls.object_id or cls.__name__
            dock = QDockWidget(cls.title or cls.__name__, self)
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

    def build_panels(self):
        """Build every panel into its dock (the slow part of start-up: ~20 pyqtgraph plots)."""
        if self.panels:
            return
        for cls, dock in zip(self._classes, self.docks):
            try:
                panel = cls(self.state)
            except Exception as e:  # noqa: BLE001 - one broken panel must not take the window down
                print(f"rnnscope: panel {getattr(cls, 'object_id', cls.__name__)} failed to build: {e}",
                      file=sys.stderr)
                dock.setWidget(QLabel(f"  This panel could not be built: {e}"))
                continue
            dock.setWidget(panel)
            self.panels.append(panel)
            self.panel_docks.append(dock)
        self.panels_built.emit()

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
                self.addDockWidget(area, d)
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
                self.splitDockWidget(prev, d, Qt.Orientation.Horizontal)
            else:
                self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, d)
            placed.add(oid)
            prev = d
        for first, second in (("loss", "gradnorm"), ("flow", "metrics")):
            d = by_id.get(second)
            if d is not None and by_id.get(first) is not None:
                self.splitDockWidget(by_id[first], d, Qt.Orientation.Vertical)
                placed.add(second)
        # other panels (the insight tools, ...) start hidden, as tabs beside the gradient-flow
        # panel: View shows them there without squeezing the four columns
        host = by_id.get("flow") or (self.docks[0] if self.docks else None)
        for oid, d in zip(self.dock_ids, self.docks):
            if oid not in placed:
                if host is not None and host is not d:
                    self.tabifyDockWidget(host, d)
                else:
                    self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, d)
                d.hide()
        if host is not None:
            host.raise_()
        self._size_docks()
        if not getattr(self, "_layout_restored", False):
            QTimer.singleShot(0, self._size_docks)  # again once the window has its real size

    def _size_docks(self):
        """Default proportions (resizeDocks takes pixels; columns share what the strip leaves)."""
        by_id = dict(zip(self.dock_ids, self.docks))
        W = self.width()
        if "sequence" in by_id:
            seq = by_id["sequence"]
            self.resizeDocks([seq], [max(200, seq.widget().sizeHint().height() + 30)], Qt.Orientation.Vertical)
        cols = [by_id[k] for k in ("gates", "memory", "loss", "flow") if k in by_id]
        if len(cols) == 4:
            self.resizeDocks(cols, [int(W * f) for f in (0.31, 0.23, 0.23, 0.23)], Qt.Orientation.Horizontal)
        for top, bottom, share in (("loss", "gradnorm", 0.55), ("flow", "metrics", 0.5)):
            if top in by_id and bottom in by_id:
                h = by_id[top].height() + by_id[bottom].height()
                self.resizeDocks([by_id[top], by_id[bottom]], [int(h * share), h - int(h * share)],
                                 Qt.Orientation.Vertical)

    def _build_menus(self):
        mb = self._menu_bar
        f = mb.addMenu("&File")
        self._action(f, "&New run…", self.new_run, QKeySequence.StandardKey.New)
        self._action(f, "&Open run…", self.open_run_dialog, QKeySequence.StandardKey.Open)
        self.recent_menu = f.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._action(f, "&Save run", self.save_run, QKeySequence.StandardKey.Save)
        self._action(f, "Save run &as…", self.save_run_as, QKeySequence.StandardKey.SaveAs)
        f.addSeparator()
        self._action(f, "&Import PyTorch weights…", self.import_weights_dialog)
        f.addSeparator()
        ex = f.addMenu("&Export")
        self._action(ex, "Dashboard as PNG or SVG…", self.export_dashboard_dialog, "Ctrl+E")
        panel_menu = ex.addMenu("One panel as PNG or SVG")
        for oid, dock in zip(self.dock_ids, self.docks):
            self._action(panel_menu, dock.windowTitle(), lambda _=False, d=dock: self.export_panel_dialog(d.widget()))
        self._action(ex, "Training history as CSV…", self.export_history_dialog)
        self._action(ex, "Trace of the example as .npz…", lambda: self.export_trace_dialog("npz"))
        self._action(ex, "Trace of the example as CSV…", lambda: self.export_trace_dialog("csv"))
        f.addSeparator()
        self._action(f, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        t = mb.addMenu("&Training")
        for a in (self.toolbar.play_action, self.toolbar.step_action, self.toolbar.reset_action):
            t.addAction(a)
        self._action(t, "Evaluate the task's metrics now", self.worker.evaluate, "Ctrl+M")
        self._action(t, "Race the four cells on this task…", self.open_race)

        v = mb.addMenu("&View")
        for d in self.docks:
            v.addAction(d.toggleViewAction())
        v.addSeparator()
        self._action(v, "Reset layout", self.default_layout)
        h = mb.addMenu("&Help")
        self._action(h, "Equations of the cell (values at t)", self.show_equations, QKeySequence.StandardKey.HelpContents)
        self._action(h, "Keys", self.show_keys)

    def _action(self, menu, text, slot, shortcut=None):
        a = QAction(text, self)
        if shortcut is not None:
            a.setShortcut(QKeySequence(shortcut))
        a.triggered.connect(slot)
        menu.addAction(a)
        return a

    def _build_status(self):
        sb = self.statusBar()
        self.status_labels = {}
        for key, tip in (("step", "optimizer steps taken"), ("loss", "L = Σ_t L<t> of the latest batch"),
                         ("rate", "training speed"), ("clip", "fraction of steps whose gradient was clipped")):
            lab = QLabel("")
            lab.setObjectName(f"status_{key}")
            lab.setToolTip(tip)
            lab.setMinimumWidth(110)
            sb.addPermanentWidget(lab)
            self.status_labels[key] = lab
        self.update_status(force=True)

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
        w.failed.connect(self.on_failed)
        w.message.connect(self.show_message)
        w.replied.connect(self.on_reply)
        bar.cursor_moved.connect(st.set_cursor)
        bar.example_requested.connect(self.on_example)
        bar.text_entered.connect(self.read_text)
        st.cursor_changed.connect(self.show_cursor)
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
            if spec.run_path:
                from rnncore.runs import load_run
                run = load_run(spec.run_path)
                task, mc, tc = run.make_task(), run.model_config, run.train_config
            elif spec.factory:                 # tests and benchmarks: the factory's own run, no task
                task, mc, tc = None, None, None
            elif spec.torch_path:
                from rnncore.torch_import import load_torch_weights
                imp = load_torch_weights(spec.torch_path, spec.nonlinearity)
                task, mc, tc = None, imp.model.config, None
            else:
                task, mc, tc = check_spec(spec)
        except Exception as e:  # noqa: BLE001 - every bad file or value is said, never a crash
            self.show_problem(f"Could not start the run: {e}")
            return False
        self.task, self.model_config, self.train_config, self.spec = task, mc, tc, spec
        self.run_path = spec.run_path
        self.trainable = task is not None or bool(spec.factory)
        self._examples, self._example_index = {}, 0
        example = self._example(0)
        self.state.reset_run(task, mc, tc, example)
        self.worker.start(spec)
        self.show_message("Starting the training process …")
        from .controls import SPEEDS
        self.worker.set_speed(SPEEDS[self.toolbar.speed.currentIndex()][1])
        self.toolbar.set_trainable(self.trainable)
        if tc is not None:
            self.toolbar.show_config(tc.lr, tc.clip, tc.clip_threshold)
        self.time_bar.show_input_message("")
        self.time_bar.example_label.setText("the notes' example" if task is not None else "")
        name = (task.title or task.name) if task is not None else Path(spec.torch_path or "").name
        where = f" — {Path(spec.run_path).name}" if spec.run_path else ""
        if mc is not None:
            self.setWindowTitle(f"RNN Scope — {name}, {mc.cell}{' bidirectional' if mc.bidirectional else ''}"
                                f"{f', {mc.num_layers} layers' if mc.num_layers > 1 else ''}{where}")
        if task is None and self.trainable:
            self.hide_banner()
        elif self.trainable:
            self.show_banner(f"{getattr(task, 'lesson', '')}  Press ▶ Play (Space) to train, S for one step.",
                             kind="info")
        else:
            self.show_banner("Imported weights: no task, so training is off. The display example has random "
                             "inputs; ◀ ▶ random draw others.", kind="info")
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
            self._add_recent(value)
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
    def _example(self, i: int):
        """Example i: 0 is the task's own (the notes' sentence); others are drawn with a fixed seed."""
        if i not in self._examples:
            seed = self.train_config.seed if self.train_config is not None else 0
            rng = np.random.default_rng([seed, 7, i])
            if self.task is None:
                if self.model_config is None or i == 0:
                    return None
                cfg = self.model_config
                T = 12
                x = rng.standard_normal((1, T, cfg.input_size))
                from rnncore import Batch
                self._examples[i] = Batch(x, np.zeros((1, T, cfg.output_size)))
            else:
                self._examples[i] = self.task.display_example() if i == 0 else self.task.batch(rng, 1)
        return self._examples[i]

    def on_example(self, kind: str):
        if self.model_config is None:
            return
        i = self._example_index
        i = {"previous": max(i - 1, 0), "next": i + 1,
             "random": int(np.random.default_rng().integers(1, 10_000))}.get(kind, i)
        try:
            ex = self._example(i)
        except Exception as e:  # noqa: BLE001
            self.show_message(f"Could not draw an example: {e}")
            return
        if ex is None:
            return
        self._example_index = i
        self.worker.set_display(ex)
        self.time_bar.example_label.setText("the notes' example" if i == 0 and self.task else f"example {i}")
        self.time_bar.show_input_message("")

    def read_text(self, text: str) -> bool:
        """Encode what the user typed with the task's vocabulary and trace it; unknown tokens are said."""
        text = text.strip()
        if not text:
            return False
        if self.task is None:
            self.time_bar.show_input_message("This run has no task, so there is no vocabulary to read text with.")
            return False
        try:
            batch = self.task.encode(text)
        except (InputError, ConfigError, ValueError) as e:
            self.time_bar.show_input_message(str(e))
            self.show_message(str(e))
            return False
        except Exception as e:  # noqa: BLE001 - a task's encode bug is still only a message
            self.time_bar.show_input_message(f"Could not read that: {e}")
            return False
        self.worker.set_display(batch)
        self.time_bar.example_label.setText("your sequence")
        self.time_bar.show_input_message("reading your sequence …", error=False)
        return True

    # -- the UI clock ----------------------------------------------------------------------------
    def tick(self):
        """~30 Hz: redraw visible panels whose data changed, a few per tick in turn.

        Panels only set data here; Qt paints the changed ones right after. Capping the
        panels per tick (round robin, and a time budget) keeps each event-loop turn short
        while training floods the state with new traces: every panel still redraws
        several times a second, and the event loop never waits for all of them at once.
        """
        t0 = time.perf_counter()
        n = len(self.panels)
        drew = 0
        for k in range(n):
            i = (self._next_panel + k) % n
            panel, dock = self.panels[i], self.panel_docks[i]
            if not (dock.isVisible() and panel.isVisible()) or panel.visibleRegion().isEmpty():
                continue
            if panel._drawn_version == self.state.version:
                continue
            try:
                panel.refresh()
            except Exception as e:  # noqa: BLE001 - say it once, keep the other panels alive
                panel._drawn_version = self.state.version
                self.show_message(f"Panel {panel.object_id} could not draw: {e}")
            drew += 1
            self.panel_redraws += 1
            if drew >= PANELS_PER_TICK or time.perf_counter() - t0 > TICK_BUDGET:
                self._next_panel = (i + 1) % n
                break
        if drew:
            self.frames += 1
            self.frame_drawn.emit()
        self.update_status()

    def refresh_all(self):
        """Draw every panel now (screenshots, tests)."""
        for panel in self.panels:
            panel.refresh(force=True)
        self.show_cursor()
        self.update_status(force=True)

    def show_cursor(self, *_):
        st = self.state
        token = ""
        if st.task is not None and st.example is not None:
            try:
                toks = st.task.describe(st.example, 0).get("x", [])
                token = str(toks[st.cursor]) if st.cursor < len(toks) else ""
            except Exception:  # noqa: BLE001 - describe is a plug-in
                token = ""
        self.time_bar.show_cursor(st.cursor, st.steps, token)
        if self._equations is not None and self._equations.isVisible():
            self._equations.refresh()

    def update_status(self, force: bool = False):
        now = time.perf_counter()
        if not force and now - self._last_status < 0.2:
            return
        self._last_status = now
        st, lab = self.state, self.status_labels
        snap = st.snapshot
        lab["step"].setText(f"step {self.step}")
        h = st.history
        loss = snap.loss if snap is not None else (float(h.data["loss"][h.n - 1]) if h.n else float("nan"))
        lab["loss"].setText(f"L = {loss:.4g}" if np.isfinite(loss) else "L = –")
        lab["rate"].setText(f"{self.state.rate:.0f} steps/s" if self.worker.playing else "paused")
        frac = float(np.mean(h.data["clip_fraction"][:h.n])) if h.n else 0.0
        lab["clip"].setText(f"clipped {100 * frac:.0f} % of steps")
        if self._equations is not None and self._equations.isVisible() and self._equations_version != st.version:
            self._equations_version = st.version        # the values at t change as the network learns
            self._equations.refresh()

    # -- messages ---------------------------------------------------------------------------------
    def show_message(self, text: str):
        self.statusBar().showMessage(text, 8000)

    def show_banner(self, text: str, kind: str = "info"):
        colours = {"info": ("#e7f5ff", "#1864ab"), "error": ("#fff5f5", "#c92a2a")}
        bg, fg = colours.get(kind, colours["info"])
        self.banner.setStyleSheet(f"background:{bg}; color:{fg}; padding:6px; font-size:13pt;")
        self.banner.setText(text)
        self.banner.setToolTip(text)
        self.banner_bar.show()

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
        QMessageBox.information(self, "Keys", "Space  play / pause\nS  one optimizer step\nR  reset (same initial "
                                "weights)\n← →  move t\nHome End  first / last step\nF1  equations at t\n"
                                "Ctrl+N new run, Ctrl+O open, Ctrl+S save, Ctrl+E export")

    # -- files --------------------------------------------------------------------------------------
    def _restore_settings(self):
        geo = self.settings.value("geometry")
        if geo is not None:
            self.restoreGeometry(geo)
        else:
            self.resize(1600, 1000)
        layout = self.settings.value("window_state")
        if layout is not None and self.restoreState(layout, LAYOUT_VERSION):
            self._layout_restored = True
        self.banner_bar.hide()
        speed = self.settings.value("speed_index", 0, type=int)
        if 0 <= speed < self.toolbar.speed.count():
            self.toolbar.speed.setCurrentIndex(speed)
        if self.settings.value("show_equations", False, type=bool):   # bools come back as strings without type=
            QTimer.singleShot(0, self.show_equations)

    def save_settings(self):
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("window_state", self.saveState(LAYOUT_VERSION))
        self.settings.setValue("speed_index", self.toolbar.speed.currentIndex())
        self.settings.setValue("show_equations", bool(self._equations is not None and self._equations.isVisible()))
        self.settings.sync()

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
