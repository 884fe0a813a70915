"""Background analyses for the insight panels.

An analysis that may take more than a frame (ablation metrics, influence,
PCA over a batch, a gradient check) runs on one shared worker thread (a
``concurrent.futures`` executor with one worker), never on the GUI thread. No
Qt object is touched off the GUI thread: a QTimer of the panel's ``Jobs`` polls
the future (every ``POLL_MS`` while one runs) and emits ``finished`` in the GUI
thread, connected to a *method* of the panel. (A Python QRunnable emitting from
the pool crashed in garbage collection here, PySide6 6.11.)

Python's cycle collector runs in whichever thread happens to allocate; if that
is the worker and the garbage holds a Qt widget, Qt crashes (seen here as
segfaults "Garbage-collecting"). So the first use of the worker hands cycle
collection to the GUI thread, on a timer (pyqtgraph's GarbageCollector).

One worker for every panel: insight analyses never take more than one core
from training and drawing, and the GUI thread competes with at most one other
Python thread for the GIL.

``Jobs`` keeps at most one analysis running per panel and only the newest
request waiting: while one runs, newer requests replace each other, so a panel
never falls behind a live run.

Analyses never share a Model with the GUI: ``model_from`` builds a private one
from the (read-only) weights.
"""
from __future__ import annotations

import gc
import time
import traceback
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QObject, QTimer, Signal

POLL_MS = 30
GC_INTERVAL = 0.5          # s between cycle collections in the GUI thread
_EXECUTOR = None
_GC = None


def executor() -> ThreadPoolExecutor:
    """The insight analyses' one worker thread (created on first use, from the GUI thread)."""
    global _EXECUTOR, _GC
    if _EXECUTOR is None:
        if _GC is None and gc.isenabled():
            from pyqtgraph.util.garbage_collector import GarbageCollector
            _GC = GarbageCollector(interval=GC_INTERVAL)      # gc only in the GUI thread from now on
        _EXECUTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rnnscope-insight")
    return _EXECUTOR


def model_from(config, weights):
    """A private rnncore Model with ``weights`` (for one background analysis)."""
    from rnncore.model import Model
    m = Model(config, 0)
    m.load_state_dict(weights)
    return m


def _call(fn, args):
    """Worker thread: run, keeping the traceback text for the terminal."""
    try:
        return True, fn(*args)
    except Exception as e:  # noqa: BLE001 - said in the panel, never lost
        traceback.print_exc()
        return False, f"{type(e).__name__}: {e}"


class Jobs(QObject):
    """One background analysis at a time for a panel; the newest request waits.

    ``finished(number, result)`` and ``failed(number, message)`` are emitted in the
    GUI thread. ``min_interval`` (s) spaces automatic requests (``request``);
    ``run_now`` ignores it (buttons). All methods: GUI thread.
    """

    finished = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self, parent=None, min_interval: float = 0.5):
        super().__init__(parent)
        self.min_interval = min_interval
        self.number = 0              # requests made
        self._future = None          # (number, Future) running
        self._waiting = None         # (number, fn, args) of the newest request not yet started
        self._last_start = -1e9
        self._start_timer = QTimer(self)
        self._start_timer.setSingleShot(True)
        self._start_timer.timeout.connect(self._start_waiting)
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._check)

    @property
    def running(self) -> bool:
        return self._future is not None

    @property
    def busy(self) -> bool:
        return self._future is not None or self._waiting is not None

    def request(self, fn, *args) -> int:
        """Run ``fn(*args)`` off the GUI thread once the running job ends and ``min_interval`` has passed."""
        self.number += 1
        self._waiting = (self.number, fn, args)
        self._schedule()
        return self.number

    def run_now(self, fn, *args) -> int:
        self._last_start = -1e9
        return self.request(fn, *args)

    def _schedule(self):
        if self._future is not None or self._waiting is None:
            return
        wait = self._last_start + self.min_interval - time.perf_counter()
        if wait <= 0:
            self._start_waiting()
        elif not self._start_timer.isActive():
            self._start_timer.start(int(wait * 1000) + 1)

    def _start_waiting(self):
        if self._future is not None or self._waiting is None:
            return
        number, fn, args = self._waiting
        self._waiting = None
        self._last_start = time.perf_counter()
        self._future = (number, executor().submit(_call, fn, args))
        self._poll.start()

    def _check(self):
        number, fut = self._future
        if not fut.done():
            return
        self._future = None
        self._poll.stop()
        ok, out = fut.result()
        if ok:
            self.finished.emit(number, out)
        else:
            self.failed.emit(number, out)
        self._schedule()
