"""Start the Qt application: ``rnnscope [--task T] [--steps N] [--screenshot out.png] ...``
(the flags are parsed with every other one in app/cli.py).

With ``--screenshot`` the window trains N steps (offscreen works:
QT_QPA_PLATFORM=offscreen), saves the whole dashboard as a PNG and exits.
"""
from __future__ import annotations

import sys


def spec_from_args(args):
    from rnncore.runspec import RunSpec
    if args.run:
        return RunSpec(run_path=args.run)
    if args.weights:
        return RunSpec(torch_path=args.weights, nonlinearity=args.nonlinearity)
    model = {k: v for k, v in (("cell", args.cell), ("hidden_size", args.hidden), ("num_layers", args.layers))
             if v is not None}
    if args.bidirectional:
        model["bidirectional"] = True
    train = {k: v for k, v in (("lr", args.lr), ("clip", args.clip), ("clip_threshold", args.clip_threshold),
                               ("seed", args.seed)) if v is not None}
    return RunSpec(task=args.task, model=model, train=train)


def configure_app(app) -> None:
    """Application-wide settings shared by the window, screenshots and the benchmark."""
    app.setApplicationName("RNN Scope")
    app.setOrganizationName("RNNScope")
    import pyqtgraph as pg
    # no antialiasing: it makes every pyqtgraph paint ~25 % dearer (measured), and paint is most of a frame
    pg.setConfigOptions(antialias=False, background="w", foreground="k")
    font = app.font()
    if font.pointSize() < 11:          # readable on a projector
        font.setPointSize(11)
        app.setFont(font)


def run_gui(args) -> int:
    """Open the window for the flags parsed by app/cli.py (a Namespace)."""
    from .platform_check import missing_platform_message
    problem = missing_platform_message()
    if problem:
        print(f"rnnscope: {problem}", file=sys.stderr)
        return 2
    if not args.screenshot:
        return _run_window(args, None)
    import tempfile                 # a picture of the default layout, and the user's own layout left alone
    with tempfile.TemporaryDirectory(prefix="rnnscope-") as d:
        return _run_window(args, d)


def _run_window(args, settings_dir) -> int:
    from PySide6.QtCore import QTimer, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    if args.screenshot:
        qInstallMessageHandler(_qt_message)
    app = QApplication.instance() or QApplication(["rnnscope"])
    configure_app(app)
    from .window.main_window import MainWindow

    settings = None
    if settings_dir:
        import os
        from PySide6.QtCore import QSettings
        settings = QSettings(os.path.join(settings_dir, "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow("thread" if args.thread else "process", settings=settings, lazy_panels=True,
                     ask_unsaved=not args.screenshot)     # a screenshot never waits for an answer
    size = args.size
    if args.screenshot and size is None and app.platformName() == "offscreen":
        size = (1680, 1050)              # no real screen to fit: the size the docs' pictures use
    if size:
        win.resize(*size)
    win.show()
    _close_on_signals(win)
    spec = spec_from_args(args)
    preset = None
    if args.lesson or args.lang:
        preset = _open_lesson(win, args)
        if preset is False:
            return 2
        if preset is not None:
            from .window.lessons import preset_spec
            spec = preset_spec(preset)
    if spec.task is None and not (spec.run_path or spec.torch_path):
        spec.task = win.default_task()
    if spec.task is None and not (spec.run_path or spec.torch_path):
        win.show_banner("No tasks are installed.", kind="error")
    elif preset is not None and not args.screenshot and not args.steps:
        win.lessons.start_preset(preset)        # its speed and step budget, as the player's button does
    elif not win.start_run(spec):
        if args.screenshot:
            print(f"rnnscope: {win.banner.text()}", file=sys.stderr)
            return 2
    if args.screenshot:
        shooter = Screenshot(win, args.screenshot, args.steps or 0, args.t, size)
        QTimer.singleShot(0, shooter.begin)
        code = app.exec()
        return code or shooter.code
    if args.steps:
        win.worker.step_once(args.steps)
    elif args.play:
        win.worker.play()
    return app.exec()


def _open_lesson(win, args):
    """--lesson N / --lang L: the lesson dock (and N's preset), or False after saying what is wrong."""
    from rnncore.config import ConfigError
    from rnncore.lessons import lesson
    from .window.lessons import chosen_lang
    if not args.lesson:
        chosen_lang(win.settings, args.lang)        # remembered for Help › Lessons
        return None
    try:
        les = lesson(args.lesson)
    except ConfigError as e:
        print(f"rnnscope: {e}", file=sys.stderr)
        return False
    win.lessons.open(args.lesson, args.lang)
    return les.preset


#: Qt messages that say nothing to the user: the offscreen platform (used for screenshots)
#: cannot propagate size hints and says so once per dock.
_QUIET = ("This plugin does not support propagateSizeHints()",)


def _qt_message(mode, context, message):
    if any(q in message for q in _QUIET):
        return
    print(message, file=sys.stderr)


def _close_on_signals(win):
    """Ctrl+C or a TERM signal close the window as its close button would (the trainer
    process is stopped, settings saved). Python runs signal handlers only between
    bytecodes, so a timer wakes the interpreter a few times a second."""
    import signal
    from PySide6.QtCore import QTimer

    def handler(*_):
        win.unsaved.enabled = False         # a signal closes without a question
        win.close()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            signal.signal(sig, handler)
        except (ValueError, OSError):       # not the main thread (tests): nothing to do
            return
    win._signal_timer = QTimer(win)
    win._signal_timer.timeout.connect(lambda: None)
    win._signal_timer.start(250)


class Screenshot:
    """Train ``steps`` steps, wait for the trace of the last one, draw everything, save, quit."""

    def __init__(self, win, path, steps, t=None, size=None):
        from PySide6.QtCore import QTimer
        self.win, self.path, self.steps, self.t, self.code, self.size = win, path, steps, t, 0, size
        self.timeout = QTimer(win)
        self.timeout.setSingleShot(True)
        self.timeout.setInterval(max(60_000, self.steps * 50))
        self.timeout.timeout.connect(self.give_up)

    def begin(self):
        if self.size:
            self.win.resize(*self.size)
            self.win.dock_set.size_docks()
        self.win.worker.packet_received.connect(self.on_packet)
        self.win.worker.failed.connect(self.on_failed)
        self.timeout.start()
        self.asked = False
        self.asked_metrics = False

    def on_packet(self, p):
        w = self.win.worker
        if not self.asked and p.reset:
            self.asked = True
            if self.steps:
                w.step_once(self.steps)
            else:
                w.request_trace()
            return
        if self.asked and p.step >= self.steps and p.trace is not None and not self.asked_metrics:
            self.asked_metrics = True
            w.evaluate()
            return
        if self.asked_metrics and (p.metrics is not None or p.message or self.win.task is None) \
                and not getattr(self, "saving", False):
            self.saving = True
            from PySide6.QtCore import QTimer
            QTimer.singleShot(300, self.save)

    def save(self):
        from PySide6.QtCore import QTimer
        win = self.win
        win.hide_banner()
        if self.size:
            win.resize(*self.size)
        if self.t is not None:
            win.state.set_cursor(self.t - 1)
        win.refresh_all()
        QTimer.singleShot(150, self.arrange)     # let the layout settle without the banner

    def arrange(self):
        from PySide6.QtCore import QTimer
        self.win.dock_set.size_docks()
        self.win.refresh_all()
        QTimer.singleShot(150, self.grab)

    def grab(self):
        from .exporting import ExportError, export_png
        win = self.win
        win.refresh_all()
        try:
            out = export_png(win, self.path)
            print(f"saved {out} (step {win.step})")
        except ExportError as e:
            print(f"rnnscope: {e}", file=sys.stderr)
            self.code = 2
        win.close()

    def on_failed(self, text):
        print(text, file=sys.stderr)
        self.code = 1
        self.win.close()

    def give_up(self):
        print("rnnscope: the screenshot timed out waiting for training", file=sys.stderr)
        self.code = 1
        self.win.close()
