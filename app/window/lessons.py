"""The lessons in the main window (and the panels' preset runs): the player (app/lessons/player.py) in a non-modal dock
beside the dashboard, and what its requests do.

The player only asks (signals); this object acts on the window: start a lesson's preset
as File › New run does, raise and flash a panel, move the time cursor, show one phase
of the next update in the cell diagram, and answer the lesson's question off the GUI
thread (app/insight/jobs.py) from the window's own weights and history. Nothing here is
modal: the student can leave the script, train freely and come back. GUI thread only.
"""
from __future__ import annotations

import sys
import weakref

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDockWidget

from .geometry import available

#: the lessons' panel names → the dashboard's dock ids ("controls" is the training toolbar)
DOCK_OF = {"gradients": "gradnorm", "cell": "cell"}
FLASH_MS = 1400
#: screens narrower than this get the lesson as a tab, not a fifth column
FIVE_COLUMNS = 1700

#: packages that give Qt a font with Chinese characters, by package manager
CJK_PACKAGES = "apt install fonts-noto-cjk  (Fedora: dnf install google-noto-sans-cjk-ttc-fonts)"


def has_cjk_font() -> bool:
    """Whether any installed font can draw Simplified Chinese (else Qt draws boxes)."""
    return bool(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def missing_font_message(lang: str) -> str:
    """What to install when ``lang`` needs fonts this machine lacks ('' when it has them)."""
    if lang == "zh_CN" and not has_cjk_font():
        return ("No Chinese font is installed, so the interface and the lessons are shown in English "
                f"instead of as boxes. Install one, then restart: {CJK_PACKAGES}")
    return ""


def chosen_lang(settings: QSettings, flag: str | None) -> str:
    """``--lang`` if given (and remembered), else the remembered language, else the system's:
    the one setting of app/i18n.py, shared with the interface."""
    from .. import i18n
    return i18n.choose(settings, flag)


def preset_spec(preset):
    """The RunSpec of a lesson's preset (rnncore.lessons.Preset), as File › New run makes one."""
    from rnncore.runspec import RunSpec
    return RunSpec(task=preset.task, task_options=dict(preset.options), model=dict(preset.model),
                   train=dict(preset.train))


def _check_job(lesson, lang, task, config, weights, history, last):
    """Worker thread: the lesson's question answered from a private copy of the window's
    model (and, for a lesson that compares, its second model trained here from scratch)."""
    from rnncore.lessons.checks import RunState, answer, run_preset

    from ..insight.jobs import model_from
    main = RunState(task, model_from(config, weights), history, last)
    other = lesson.compare_preset()
    compare = run_preset(other) if other is not None else None
    return answer(lesson, main, compare, lang)


class Lessons:
    """The lesson dock of a main window ``w`` (created on first use)."""

    def __init__(self, w):
        self._window = weakref.ref(w)   # the window owns this object, not the other way round
        self.player = None
        self.dock = None
        self.budget = None              # pause the run at this step (a lesson's step budget while playing)
        self._phase = None              # the phase the player asked for, until the phases arrive
        self._jobs = None
        w.panels_built.connect(self._connect_panels)
        w.worker.replied.connect(self._on_reply)
        w.worker.packet_received.connect(self._on_packet)

    @property
    def w(self):
        return self._window()

    def _connect_panels(self):
        """Panels that offer a preset run (the unit inspector's number units) start it here."""
        from ..panels.base import Panel
        for p in self.w.findChildren(Panel):        # the window's lists may not be assigned yet
            if hasattr(p, "run_requested"):
                p.run_requested.connect(self._start_run)

    def _start_run(self, spec):
        self.w.start_run(spec)

    # -- the dock -------------------------------------------------------------------------
    def open(self, number: int | None = None, lang: str | None = None):
        """Show the player (lesson ``number`` if given) in a dock on the dashboard's right."""
        from ..lessons import LessonPlayer
        w = self.w
        from .. import i18n
        lang = chosen_lang(w.settings, lang) if lang else i18n.current()
        problem = missing_font_message(lang)
        if problem:                     # English rather than boxes; the choice stays remembered
            lang = "en"
            w.show_banner(problem, kind="error")
            print(f"rnnscope: {problem}", file=sys.stderr)
        if self.player is None:
            self.player = p = LessonPlayer(lang=lang, settings=w.settings)
            p.preset_requested.connect(self.start_preset)
            p.panel_highlight_requested.connect(self.highlight)
            p.cursor_requested.connect(self.move_cursor)
            p.phase_requested.connect(self.phase)
            p.answer_requested.connect(self.answer)
            self.dock = QDockWidget(QCoreApplication.translate("Lessons", "Lesson"), w)
            self.dock.setObjectName("dock_lesson")
            self.dock.setWidget(p)
            self.dock.setMinimumWidth(340)
            # a column of its own at the right end (the right area's columns are side by side); on a
            # laptop (1366 px) a fifth column squeezes the four panels' titles and heatmaps, so there
            # the lesson is a tab of the last column instead (gradient flow | metrics | lesson)
            flow = self.dock_for("flow")
            if available(w).width() < FIVE_COLUMNS and flow is not None and flow.isVisible() \
                    and not flow.isFloating():
                w.tabifyDockWidget(flow, self.dock)
            else:
                w.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock, Qt.Orientation.Horizontal)
                w.resizeDocks([self.dock], [max(360, w.width() // 4)], Qt.Orientation.Horizontal)
        else:
            self.player.set_lang(lang)
        if number is not None:
            self.player.show_lesson(number)
        self.dock.show()
        self.dock.raise_()
        return self.player

    # -- the player's requests --------------------------------------------------------------
    def start_preset(self, preset, compare=None) -> bool:
        """Start ``preset`` as File › New run would, at its speed, and train its step budget."""
        from .controls import SPEEDS
        w = self.w
        if not w.start_run(preset_spec(preset)):
            return False
        speeds = [s for _, s in SPEEDS]
        nearest = min(range(len(speeds)), key=lambda i: abs(speeds[i] - preset.speed))
        w.toolbar.speed.setCurrentIndex(nearest)        # tells the worker through speed_changed
        w.worker.set_speed(preset.speed)
        if preset.speed > 0:
            self.budget = preset.steps
            w.worker.play()
        else:
            self.budget = None
            w.worker.step_once(preset.steps)
        if compare is not None:
            self._compare(preset, compare)
        return True

    def _compare(self, preset, compare):
        w = self.w
        differs = {k for k in set(preset.model) | set(compare.model) if preset.model.get(k) != compare.model.get(k)}
        if differs == {"cell"} and preset.train == compare.train:
            w.open_race()           # the four cells on this task, side by side
            return
        w.show_banner(QCoreApplication.translate(
            "Lessons", "This lesson compares with a second model: rnnscope train {cli}  — “Answer from the app” "
            "trains it in the background and compares.").format(cli=compare.cli()), kind="info")

    def _on_packet(self, p):
        if self.budget is not None and p.step >= self.budget and self.w.worker.playing:
            self.budget = None
            self.w.worker.pause()

    def dock_for(self, name: str):
        oid = DOCK_OF.get(name, name)
        for d, i in zip(self.w.docks, self.w.dock_ids):
            if i == oid:
                return d
        return None

    def highlight(self, name: str):
        """Raise panel ``name`` (showing it if hidden) and flash its frame."""
        target = self.w.toolbar if name == "controls" else self.dock_for(name)
        if target is None:
            return
        target.show()
        if isinstance(target, QDockWidget):
            target.raise_()
        target.setStyleSheet("QDockWidget { border: 3px solid #f08c00; } QDockWidget::title { background: #ffd8a8; }"
                             if isinstance(target, QDockWidget) else "QToolBar { background: #ffd8a8; }")
        QTimer.singleShot(FLASH_MS, target, lambda: target.setStyleSheet(""))   # not after the window is gone

    def move_cursor(self, t: int):
        """Time step t (1-based) under the cursor."""
        self.w.state.set_cursor(t - 1)

    def phase(self, name: str):
        """Pause and show phase ``name`` of the next update in the cell diagram (on a copy)."""
        w = self.w
        w.worker.pause()
        self.highlight("cell")
        self._phase = name
        w.worker.request_phases()

    def _on_reply(self, name, value):
        if name != "phase" or self._phase is None:
            return
        wanted, self._phase = self._phase, None
        diagram = next((p for p in self.w.panels if getattr(p, "object_id", "") == "cell"), None)
        if diagram is not None and value:
            diagram.show_phases(list(value), wanted)

    def answer(self, number: int):
        """Answer the lesson's question off the GUI thread; the player shows it when done."""
        from rnncore.history import History

        from ..insight.jobs import Jobs
        w, p, st = self.w, self.player, self.w.state
        if st.weights is None or st.task is None or st.model_config is None:
            p.answer_from(None)             # says: train the preset first
            return
        if st.task.name != p.current.preset.task:
            p.show_answer(False, QCoreApplication.translate(
                "Lessons", "Open this lesson's preset first: the run now is another task."))
            return
        if self._jobs is None:
            self._jobs = Jobs(w, min_interval=0.0)
            self._jobs.finished.connect(lambda _n, out: self.player.show_answer(*out))
            self._jobs.failed.connect(lambda _n, msg: self.player.show_answer(False, msg))
        p.answer.setText("…")
        history = History.from_state(st.history.to_state())       # a copy: packets keep arriving
        self._jobs.run_now(_check_job, p.current, p.lang, st.task, st.model_config, st.weights, history,
                           st.snapshot)
