"""The only bridge between rnncore and Qt, for the dashboard and the race alike.

:class:`Worker` lives in the GUI thread. It runs the session loop
(:mod:`rnncore.session`: one session for a run, one per cell for a race) in a
child process (default) or on a thread (app/bridge/process.py), sends it commands, and
turns the packets it sends back into signals. It never touches a widget.

Why a process: a Python-heavy training loop holds the GIL most of the time, and
every GUI wake-up then waits for Python's 5 ms switch interval (DESIGN.md,
"Traps"). In a child process the trainer has its own interpreter; the GUI only
unpickles a few small packets per frame. ``bench/gui_responsiveness.py``
measures both modes.

Packets are read by a QTimer in the GUI thread (no reader thread, so signals are
emitted in the GUI thread and connected slots run there). Arrays arriving from
the child are made read-only before anyone sees them.
"""
from __future__ import annotations

import queue
import time
from dataclasses import fields, is_dataclass

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from rnncore.config import CLIP_MODES, ConfigError, TrainConfig

from rnncore.runspec import RunSpec
from rnncore.session import Packet

from .process import CHILD_ENV, ChildLoop

__all__ = ["Worker", "RunSpec", "Packet"]

_CHILD_ENV = CHILD_ENV      # the benchmarks' headless runs use the child's environment


class Worker(QObject):
    """Runs one run (or one race) off the GUI thread. All methods: GUI thread."""

    packet_received = Signal(object)   # every Packet (read-only arrays)
    playing_changed = Signal(bool)
    diverged = Signal(str)             # training paused: why, in words
    reached = Signal(str)              # play paused itself at the step budget or the task's target
    failed = Signal(str)               # traceback text of an exception in the trainer
    message = Signal(str)              # something to tell the user (a refused value ...)
    replied = Signal(str, object)      # answer to a request: ('save', path) / ('state', Run) ...
    finished = Signal()                # the loop has ended (after stop, or a failed start)

    def __init__(self, mode: str = "process", nice: int = 0, poll_ms: int = 8, parent=None):
        super().__init__(parent)
        if mode not in ("process", "thread"):
            raise ValueError(f"mode must be 'process' or 'thread', got {mode!r}")
        self.mode, self.nice = mode, nice
        self._loop: ChildLoop | None = None
        self.playing = False
        self.running = False
        self._sent = 0
        self.spec: RunSpec | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self._poll)

    # -- life cycle --------------------------------------------------------------
    def start(self, spec, name: str = "rnnscope-trainer") -> None:
        """Build the run described by ``spec`` off the GUI thread (paused at step 0).
        ``spec``: an rnncore.runspec.RunSpec, or an rnncore.race.RaceSpec (a session per cell)."""
        if self.running:
            self.stop()
        self.spec = spec
        self._loop = ChildLoop(self.mode, name)
        self._loop.start(spec, nice=self.nice)
        self.running = True
        self._sent = 0
        self._set_playing(False)
        self._timer.start()

    def stop(self, timeout: float = 1.0) -> bool:
        """Ask the loop to end, wait up to ``timeout`` s; a process that does not end is killed.
        True if it ended by itself."""
        if not self.running:
            return True
        self._sent += 1
        clean = self._loop.stop(timeout)
        self._timer.stop()
        self.running = False
        self._set_playing(False)
        self.finished.emit()
        return clean

    def _alive(self) -> bool:
        return self._loop is not None and self._loop.alive()

    @property
    def _proc(self):
        """The trainer's process (None in thread mode or when stopped); benchmarks read its pid."""
        return self._loop.proc if self._loop is not None else None

    @property
    def _packets(self):
        return self._loop.packets if self._loop is not None else None

    # -- commands (validated here, so a bad value is an error in the caller) ------
    def play(self):
        self._send("play")
        self._set_playing(True)

    def pause(self):
        self._send("pause")
        self._set_playing(False)

    def keep_training(self):
        """Past the step budget or the target: play one more budget."""
        self._send("keep")
        self._set_playing(True)

    def toggle(self):
        self.pause() if self.playing else self.play()

    def step_once(self, n: int = 1):
        """Exactly ``n`` optimizer steps (pauses first)."""
        if self.playing:
            self.pause()
        self._send("step", int(n))

    def reset(self):
        """Back to step 0 with the same initial weights (the same spec builds the same run)."""
        self._send("reset")
        self._set_playing(False)

    def set_lr(self, lr: float):
        TrainConfig(lr=lr)                      # raises ConfigError with PyTorch-style words
        self._send("lr", float(lr))

    def set_clip(self, mode: str, threshold: float | None = None):
        if mode not in CLIP_MODES:
            raise ConfigError(f"clip must be one of {', '.join(CLIP_MODES)}; got {mode!r}")
        if threshold is not None:
            TrainConfig(clip_threshold=threshold)
        self._send("clip", (mode, threshold))

    def set_speed(self, steps_per_second: float):
        """Limit training to this many steps per second (0: as fast as possible)."""
        self._send("speed", max(float(steps_per_second), 0.0))

    def set_display(self, example):
        """Trace this example (a Batch of one) from now on."""
        self._send("display", example)

    def request_trace(self):
        self._send("trace")

    def request_phases(self):
        """Ask for every phase of the next update, taken on a copy; answered by replied('phase', [Phase])."""
        self._send("phase")

    def evaluate(self):
        self._send("evaluate")

    def save(self, path: str):
        """Save the run (atomically, rnncore.runs); answered by replied('save', path or None)."""
        self._send("save", str(path))

    def _send(self, name, value=None):
        if self.running:
            self._sent += 1
            self._loop.send(name, value)

    def _set_playing(self, playing: bool):
        if playing != self.playing:
            self.playing = playing
            self.playing_changed.emit(playing)

    # -- packets -----------------------------------------------------------------
    def _poll(self):
        """GUI thread, every few ms: hand over what arrived (at most a frame's worth)."""
        deadline = time.perf_counter() + 0.006
        while time.perf_counter() < deadline:
            try:
                message = self._loop.take()
            except queue.Empty:
                break
            except (OSError, EOFError, ValueError):    # the child died without a word
                self.failed.emit("The training process ended unexpectedly.")
                self.stop(0.1)
                return
            for p in message:
                _freeze(p)
                self._handle(p)
                if not self.running:
                    return
        code = self._loop.died() if self.running else None
        if code is not None:
            self.failed.emit(f"The training process ended unexpectedly (exit code {code}).")
            self.stop(0.1)

    def _handle(self, p: Packet):
        if p.acked >= self._sent:
            self._set_playing(p.playing)
        self.packet_received.emit(p)
        if p.diverged:
            self.diverged.emit(p.diverged)
        if p.reached:
            self.reached.emit(p.reached)
        if p.error:
            self.failed.emit(p.error)
        if p.message:
            self.message.emit(p.message)
        if p.reply is not None:
            self.replied.emit(*p.reply)
        if p.stopped:
            self.running = False
            self._timer.stop()
            self._loop.ended()
            self.finished.emit()


def _freeze(obj, depth=0):
    """Make every array inside a packet read-only (packets are shared by all panels)."""
    if depth > 8 or obj is None or isinstance(obj, (int, float, str, bool)):
        return
    if isinstance(obj, np.ndarray):
        obj.flags.writeable = False
    elif isinstance(obj, dict):
        for v in obj.values():
            _freeze(v, depth + 1)
    elif isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float, str)):
            return                               # plain numbers (history state): nothing to freeze
        for v in obj:
            _freeze(v, depth + 1)
    elif is_dataclass(obj) and not isinstance(obj, type):
        for f in fields(obj):
            _freeze(getattr(obj, f.name), depth + 1)
