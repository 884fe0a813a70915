"""Thread and process lifecycle stress (issue 5, "Hardening").

200 cycles of start / play / pause / step / reset / stop / delete of the worker on
a thread, 10 with the trainer in a child process, and a few cycles of the whole
main window: no hang (a watchdog ends a stuck run with every thread's stack), no
leaked thread or process, no "QThread: Destroyed while thread is still running",
no Qt warning at all (every message Qt emits is captured and checked).

The offscreen platform plugin says "This plugin does not support
propagateSizeHints()" whenever a window's size constraints change; that is the
test platform talking about itself, not a problem of the app, so it is the one
message allowed.
"""
import faulthandler
import multiprocessing as mp
import threading
import time

import pytest
from PySide6.QtCore import QSettings, QtMsgType, qInstallMessageHandler

from app.bridge.worker import RunSpec, Worker

PLATFORM_NOISE = ("This plugin does not support propagateSizeHints()",)
THREAD_CYCLES = 200
PROCESS_CYCLES = 10
WINDOW_CYCLES = 3


class QtMessages:
    """Every message Qt emits (warnings from C++, qWarning, QThread's complaints)."""

    def __init__(self):
        self.records = []

    def __call__(self, kind, context, text):
        if not any(n in text for n in PLATFORM_NOISE):
            self.records.append((kind, text))

    def problems(self):
        return [f"{k.name if hasattr(k, 'name') else k}: {t}" for k, t in self.records
                if k != QtMsgType.QtDebugMsg]


@pytest.fixture
def qt_messages(qapp):
    msgs = QtMessages()
    previous = qInstallMessageHandler(msgs)
    faulthandler.dump_traceback_later(150, exit=True)       # a hang ends the run with stacks
    try:
        yield msgs
    finally:
        faulthandler.cancel_dump_traceback_later()
        qInstallMessageHandler(previous)


class Sink:
    """Counts packets; connected to a bound method (runs in the GUI thread)."""

    def __init__(self):
        self.n, self.step, self.errors, self.reset_seen = 0, -1, [], 0

    def on_packet(self, p):
        self.n += 1
        self.step = p.step
        self.reset_seen += bool(p.reset)

    def on_failed(self, text):
        self.errors.append(text)


def _cycle(qtbot, mode, k, timeout=10000):
    w = Worker(mode, poll_ms=2)
    sink = Sink()
    w.packet_received.connect(sink.on_packet)
    w.failed.connect(sink.on_failed)
    w.start(RunSpec(factory="worker_factories:tiny"))
    qtbot.waitUntil(lambda: sink.n > 0, timeout=timeout)          # built, paused at step 0
    w.play()
    if k % 4 == 0:                                                # now and then: really train a bit
        qtbot.waitUntil(lambda: sink.step >= 2, timeout=timeout)
    w.pause()
    w.step_once(2)
    if k % 2 == 0:
        qtbot.waitUntil(lambda: sink.step >= 2, timeout=timeout)
    w.reset()
    if k % 3 == 0:
        qtbot.waitUntil(lambda: sink.reset_seen >= 2, timeout=timeout)
        w.step_once()
    if k % 5 == 0:                                                # stop while it trains
        w.play()
    clean = w.stop(timeout=5.0)
    assert clean, f"cycle {k}: the {mode} did not stop within 5 s"
    assert not w.running and not w._alive()
    assert not sink.errors, sink.errors
    w.deleteLater()


def _leftover_threads(baseline):
    return [t.name for t in threading.enumerate() if t.name.startswith("rnnscope") and t not in baseline]


def test_worker_thread_200_cycles(qtbot, qt_messages):
    baseline = set(threading.enumerate())
    t0 = time.perf_counter()
    for k in range(THREAD_CYCLES):
        _cycle(qtbot, "thread", k)
    qtbot.waitUntil(lambda: not _leftover_threads(baseline), timeout=5000)   # threads end, deleteLater runs
    assert not [p for p in mp.active_children() if p.name == "rnnscope-trainer"]
    assert not qt_messages.problems(), qt_messages.problems()
    print(f"{THREAD_CYCLES} thread cycles in {time.perf_counter() - t0:.1f} s")


def test_worker_process_cycles(qtbot, qt_messages):
    t0 = time.perf_counter()
    for k in range(PROCESS_CYCLES):
        _cycle(qtbot, "process", k, timeout=30000)
    qtbot.wait(50)
    assert not [p for p in mp.active_children() if p.name == "rnnscope-trainer"], "a trainer process outlived stop()"
    assert not qt_messages.problems(), qt_messages.problems()
    print(f"{PROCESS_CYCLES} process cycles in {time.perf_counter() - t0:.1f} s")


def test_worker_deleted_while_running_does_not_leave_a_qthread_or_hang(qtbot, qt_messages):
    """Dropping a running worker without stop(): its thread is a daemon Python thread (never a
    QThread), so nothing complains, and a later stop on a new worker still works."""
    w = Worker("thread", poll_ms=2)
    sink = Sink()
    w.packet_received.connect(sink.on_packet)
    w.start(RunSpec(factory="worker_factories:tiny"))
    qtbot.waitUntil(lambda: sink.n > 0, timeout=10000)
    w.play()
    qtbot.wait(30)
    w.stop(timeout=5.0)
    w.deleteLater()
    qtbot.wait(20)
    assert not qt_messages.problems(), qt_messages.problems()


def test_main_window_cycles(qtbot, qt_messages, tmp_path):
    """A few whole windows (the last with its trainer in a child process): open, start the
    default task, play, pause, step, reset, close while training."""
    main_window = pytest.importorskip("app.window.main_window")
    baseline = set(threading.enumerate())
    for k in range(WINDOW_CYCLES):
        settings = QSettings(str(tmp_path / f"settings{k}.ini"), QSettings.Format.IniFormat)
        mode = "process" if k == WINDOW_CYCLES - 1 else "thread"      # the app's default is the process
        win = main_window.MainWindow(worker_mode=mode, settings=settings)
        qtbot.addWidget(win)
        win.show()
        sink = Sink()
        win.worker.packet_received.connect(sink.on_packet)
        name = win.default_task()
        # the default task, with a small held-out set: its metrics are evaluated while it trains
        options = {"eval_per_cell": 2} if name == "agreement" else {}
        assert name and win.start_task(name, task_options=options), f"could not start {name!r}"
        qtbot.waitUntil(lambda: sink.n > 0, timeout=30000)
        if k == 0:                                    # a bad file changes nothing in a live window
            spec, resets = win.spec, sink.reset_seen
            bad = tmp_path / "bad.npz"
            bad.write_bytes(b"PK\x03\x04 not a run")
            assert not win.open_run(str(bad))
            assert not win.import_weights(str(bad))
            assert win.spec is spec and win.worker.running and win.task is not None
            qtbot.wait(50)
            assert sink.reset_seen == resets
        win.on_play_toggled(True)
        qtbot.waitUntil(lambda: win.step >= 3, timeout=30000)
        win.on_play_toggled(False)
        win.on_step()
        win.on_reset()
        qtbot.waitUntil(lambda: sink.reset_seen >= 2 and win.step == 0, timeout=30000)
        win.on_play_toggled(True)
        qtbot.wait(100)
        win.close()                                   # mid-run
        assert not win.worker.running
        win.deleteLater()
        qtbot.wait(20)
    qtbot.waitUntil(lambda: not _leftover_threads(baseline), timeout=5000)
    assert not [p for p in mp.active_children() if p.name == "rnnscope-trainer"]
    assert not qt_messages.problems(), qt_messages.problems()
