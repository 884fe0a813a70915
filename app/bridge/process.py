"""The session loop (rnncore.session) off the GUI thread: commands go down, packets come up.

The plumbing of the one bridge (app/bridge/worker.py), for the dashboard and the race alike.
The loop runs in a spawned child process (default: no GIL shared with the GUI,
DESIGN.md "Traps") or on a daemon thread (tests, comparisons). Imports no Qt: the
child process imports this module. ChildLoop's methods run in the GUI thread.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import queue
import sys
import threading
import time
import types
from contextlib import contextmanager

#: environment of a child: one BLAS thread (the app's sizes gain nothing from more,
#: and a second thread would compete with the GUI for the other core)
CHILD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def loop_main(spec, commands, packets, consumed=None, nice: int = 0) -> None:
    """The child process's (or thread's) entry: serve ``spec.sessions()`` until 'stop'.
    ``spec`` is an rnncore.session.RunSpec or an rnncore.race.RaceSpec."""
    from rnncore.session import serve
    if nice:
        try:
            os.nice(nice)
        except OSError:
            pass
    parent = mp.parent_process()            # None on a thread
    try:
        serve(lambda: spec.sessions(), commands, packets.put, consumed=consumed,
              parent_alive=parent.is_alive if parent is not None else (lambda: True))
    finally:
        if parent is not None:
            # exit even if the GUI stopped reading: unsent packets are dropped, not waited for
            packets.cancel_join_thread()


class Counter:
    """Packets the GUI has taken (thread mode; process mode shares an mp.Value)."""
    value = 0


@contextmanager
def _child_start():
    """The child's environment, and a main module the child will not re-run.

    spawn re-runs the parent's main script in the child unless its __spec__ is named
    '__main__'; the child needs nothing from it (and must never import Qt).
    """
    saved = {k: os.environ.get(k) for k in CHILD_ENV}
    os.environ.update(CHILD_ENV)
    main = sys.modules.get("__main__")
    main_spec = getattr(main, "__spec__", None)
    try:
        if main is not None:
            main.__spec__ = types.SimpleNamespace(name="__main__")
        yield
    finally:
        if main is not None:
            main.__spec__ = main_spec
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


class ChildLoop:
    """:func:`loop_main` in a child process or a thread, with a counter of the
    messages the GUI has taken (``consumed``, for back-pressure)."""

    def __init__(self, mode: str = "process", name: str = "rnnscope-child"):
        if mode not in ("process", "thread"):
            raise ValueError(f"mode must be 'process' or 'thread', got {mode!r}")
        self.mode, self.name = mode, name
        self.proc = self.thread = self.commands = self.packets = self.consumed = None

    def start(self, spec, nice: int = 0) -> None:
        if self.mode == "process":
            ctx = mp.get_context("spawn")
            self.commands, self.packets = ctx.Queue(), ctx.Queue()
            self.consumed = ctx.Value("q", 0, lock=False)           # written by the GUI only
            self.proc = ctx.Process(target=loop_main, args=(spec, self.commands, self.packets),
                                    kwargs={"consumed": self.consumed, "nice": nice}, name=self.name, daemon=True)
            with _child_start():
                self.proc.start()
        else:
            self.commands, self.packets = queue.SimpleQueue(), queue.SimpleQueue()
            self.consumed = Counter()
            self.thread = threading.Thread(target=loop_main, args=(spec, self.commands, self.packets),
                                           kwargs={"consumed": self.consumed}, name=self.name, daemon=True)
            self.thread.start()

    def send(self, name, value=None) -> None:
        self.commands.put((name, value))

    def take(self):
        """The next message, a list of packets (queue.Empty when none; OSError/EOFError/ValueError if the child died)."""
        p = self.packets.get_nowait()
        if self.consumed is not None:
            self.consumed.value += 1
        return p

    def alive(self) -> bool:
        if self.proc is not None:
            return self.proc.is_alive()
        return self.thread is not None and self.thread.is_alive()

    def died(self):
        """The exit code of a child process that ended by itself, else None."""
        if self.proc is not None and not self.proc.is_alive():
            return self.proc.exitcode
        return None

    def stop(self, timeout: float = 1.0) -> bool:
        """Ask the loop to end and wait up to ``timeout`` s; a process that does not
        end is killed (threads never are: they are daemons). True if it ended by itself."""
        if self.commands is not None:
            self.send("stop")
        deadline = time.monotonic() + timeout
        while self.alive() and time.monotonic() < deadline:
            self._drain()               # a full pipe must not block the child's exit
            time.sleep(0.01)
        clean = not self.alive()
        self.ended(kill=not clean)
        return clean

    def ended(self, kill: bool = False) -> None:
        """Release the process or thread (after a 'stopped' packet, or from stop())."""
        if self.proc is not None:
            if kill:
                self.proc.kill()        # last resort
            self.proc.join(0.5 if kill else 1.0)
            self.packets.cancel_join_thread()
            self.commands.cancel_join_thread()
        elif self.thread is not None:
            self.thread.join(0.5)
        self.proc = self.thread = None

    def _drain(self):
        try:
            while True:
                self.packets.get_nowait()
        except (queue.Empty, OSError, EOFError, ValueError):
            pass
