"""Background analyses for the insight panels.

An analysis that may take more than a frame (ablation metrics, influence,
PCA over a batch, a gradient check) runs on Qt's global thread pool. Its result
comes back through a signal of a QObject that lives in the GUI thread, and is
delivered to a *method* of the panel (DESIGN.md, "Traps": a lambda would run in
the pool's thread).

``Jobs`` keeps at most one analysis running per panel and only the newest
request waiting: while one runs, newer requests replace each other, so a panel
never falls behind a live run. Results of requests overtaken by a newer one are
still delivered (they are the best there is) but tagged with their request
number.

All panels share one pool of one thread (``pool()``): insight analyses never
take more than one core from training and drawing, and the GUI thread competes
with at most one other Python thread for the GIL.

Analyses never share a Model with the GUI: ``model_from`` builds a private one
from the (read-only) weights.
"""
from __future__ import annotations

import time
import traceback

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal


_POOL = None


def pool() -> QThreadPool:
    """The insight analyses' own thread pool (one thread; GUI thread only)."""
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setMaxThreadCount(1)
        _POOL.setExpiryTimeout(-1)
    return _POOL


def model_from(config, weights):
    """A private rnncore Model with ``weights`` (for one background analysis)."""
    from rnncore.model import Model
    m = Model(config, 0)
    m.load_state_dict(weights)
    return m


class _Signals(QObject):
    done = Signal(int, object)       # request number, result
    failed = Signal(int, str)        # request number, the error in words


class _Runnable(QRunnable):
    def __init__(self, number, fn, args, signals):
        super().__init__()
        self.number, self.fn, self.args, self.signals = number, fn, args, signals
        self.setAutoDelete(True)

    def run(self):
        """Pool thread: compute, then hand the result to the GUI thread through a signal."""
        try:
            out = self.fn(*self.args)
        except Exception as e:  # noqa: BLE001 - said in the panel, never lost
            traceback.print_exc()
            self.signals.failed.emit(self.number, f"{type(e).__name__}: {e}")
            return
        self.signals.done.emit(self.number, out)


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
        self.running = False
        self._waiting = None         # (fn, args) of the newest request not yet started
        self._last_start = -1e9
        # lives in the GUI thread, so queued emits from the pool arrive here; no parent: the running
        # job keeps it alive even if the panel goes first
        self._signals = _Signals()
        self._signals.done.connect(self._done)
        self._signals.failed.connect(self._failed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._start_waiting)

    @property
    def busy(self) -> bool:
        return self.running or self._waiting is not None

    def request(self, fn, *args) -> int:
        """Run ``fn(*args)`` in the pool once the running job ends and ``min_interval`` has passed."""
        self.number += 1
        self._waiting = (self.number, fn, args)
        self._schedule()
        return self.number

    def run_now(self, fn, *args) -> int:
        self._last_start = -1e9
        return self.request(fn, *args)

    def _schedule(self):
        if self.running or self._waiting is None:
            return
        wait = self._last_start + self.min_interval - time.perf_counter()
        if wait <= 0:
            self._start_waiting()
        elif not self._timer.isActive():
            self._timer.start(int(wait * 1000) + 1)

    def _start_waiting(self):
        if self.running or self._waiting is None:
            return
        number, fn, args = self._waiting
        self._waiting = None
        self.running = True
        self._last_start = time.perf_counter()
        pool().start(_Runnable(number, fn, args, self._signals))

    def _done(self, number, result):
        self.running = False
        self.finished.emit(number, result)
        self._schedule()

    def _failed(self, number, message):
        self.running = False
        self.failed.emit(number, message)
        self._schedule()
