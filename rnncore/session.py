"""The one training session: commands in, packets out. Imports no Qt and knows no threads.

Everything that trains with someone watching drives this module: the window's
child process (app/bridge), the race (one :class:`Session` per cell, stepped in
turn) and ``rnnscope train`` (:func:`train`). There is no other loop.

- A :class:`Session` owns one run (a Trainer and its task). It applies commands
  (:data:`COMMANDS`: play, pause, step, phase, reset, lr, clip, speed, display,
  trace, evaluate, save, stop) between optimizer steps, never in the middle of
  one, and builds :class:`Packet` objects: the scalars of *every* step since the
  previous packet, the newest snapshot, a trace of the display example at most
  every ``trace_interval`` seconds, the weights when asked (paused, stepped, reset)
  or every ``weights_interval`` seconds, and now and then the task's metrics.
- :func:`run` is the loop: it reads commands from a queue (anything with
  ``get(timeout=)`` and ``get_nowait()``), hands each to every session, lets each
  take its step in turn, and yields the packets that are due as one list.
"""
from __future__ import annotations

import queue
import time
import traceback
from dataclasses import replace
from typing import Callable, Iterator

import numpy as np

from .evaluation import Evaluator
from .pace import Pace
from .packet import Packet

__all__ = ["COMMANDS", "Packet", "Session", "run", "serve", "train"]

#: seconds between packets while training (≈ 33 per second, the UI clock's rate)
PACKET_INTERVAL = 0.03
#: messages the GUI may have waiting before the loop holds the next one back (scalars keep
#: accumulating meanwhile, so nothing is lost: a slow GUI gets fewer, fuller packets)
MAX_IN_FLIGHT = 3
#: seconds between traces of the display example while training: internals drawn 10 times a
#: second read as motion, and each trace costs a pass (paused or stepped runs are traced at once)
TRACE_INTERVAL = 0.1
#: task metrics are re-evaluated at most this often (seconds), and their thread (rnncore.evaluation)
#: is busy at most ~5 % of the time
METRICS_INTERVAL = 2.0
#: seconds between copies of the weights while training (analyses in the GUI use them)
WEIGHTS_INTERVAL = 0.5

#: the command set: (name, value) tuples
COMMANDS = ("play", "pause", "step", "phase", "reset", "lr", "clip", "speed", "display", "trace",
            "evaluate", "save", "stop", "keep")


class Session:
    """One run driven by commands. Not thread-safe: one loop (:func:`run`) calls it.

    ``build()`` → (trainer, task) makes the run, and makes it again on 'reset'.
    ``traces``, ``weights``: whether packets carry them at all (``rnnscope train``
    needs neither); ``auto_metrics``: evaluate the task now and then while playing
    (otherwise only on 'evaluate'). ``pace``: play pauses itself at ``budget`` steps (else the
    task's ``default_steps``) or at the task's target (rnncore.pace); 'keep' plays on.
    ``metrics``: the task metrics of the run as built (an opened run's saved ones), shown at once.
    Metrics are evaluated on a copy of the weights on another thread (rnncore.evaluation).
    """

    def __init__(self, build: Callable, name: str | None = None, traces: bool = True, weights: bool = True,
                 auto_metrics: bool = True, clock: Callable[[], float] = time.perf_counter,
                 pace: bool = False, budget: int | None = None, metrics: tuple | None = None):
        self.build, self.name, self.clock = build, name, clock
        self.traces, self.weights, self.auto_metrics = traces, weights, auto_metrics
        self.pacing, self.fixed_budget = pace, budget
        self.playing = False
        self.pending = 0                     # single steps still to take ('step')
        self.speed = 0.0                     # steps per second; 0 = as fast as possible
        self.acked = 0
        self.reraise = False                 # headless (train()): an exception in a step propagates
        self.trainer, self.task = build()    # raises: the caller reports it
        self.built_metrics = metrics         # (metrics, step) of the run as built, or None
        self.evaluator = Evaluator()
        self._fresh()
        self.pace = Pace(self._per_budget(), self.trainer.step, self.task is not None)
        self.reached: str | None = None       # words for the next packet: play paused itself

    def _per_budget(self):
        return self.fixed_budget or (getattr(self.task, "default_steps", None) if self.pacing else None)

    def _fresh(self):
        now = self.clock()
        self.newest = None
        self.rows: list = []                 # (step, loss, ‖g‖, ‖g‖ clipped, clipped) since the last packet
        self.want_trace = self.want_metrics = False
        self.last_send = self.last_trace = self.last_weights = now
        self.next_metrics, self.next_step_at, self.steps_since = now + 0.5, 0.0, 0
        self.metrics = self.built_metrics    # (metrics, step) of the newest evaluation, saved with the run
        self.evaluator.cancel()
        # a run that has trained but brings no metrics (a run file saved before they were kept) is evaluated
        self.want_metrics = self.task is not None and self.metrics is None and self.trainer.step > 0

    @property
    def busy(self) -> bool:
        """Playing, or single steps still to take."""
        return self.playing or self.pending > 0

    @property
    def evaluating(self) -> bool:
        """The task's metrics are being evaluated (their packet is still to come)."""
        return self.evaluator.busy or self.want_metrics

    def wait(self) -> float:
        """Seconds the loop may block for a command before this session wants to step."""
        if not self.busy:
            return 0.02 if self.evaluating else 0.1
        if self.playing and self.speed > 0 and self.pending == 0:
            return min(max(0.0, self.next_step_at - self.clock()), 0.1)
        return 0.0

    # -- commands ----------------------------------------------------------------------
    def command(self, name: str, value=None) -> list[Packet]:
        """Apply one command; → packets to send at once (a reset, a reply, a refusal in words)."""
        self.acked += 1
        try:
            return self._command(name, value)
        except Exception as e:  # noqa: BLE001 - a refused value is said in words, never fatal
            return [self._stamp(Packet(message=f"{name}: {e}"))]

    def _command(self, name, value) -> list[Packet]:
        tr = self.trainer
        if name == "stop":
            return [self._stamp(self._scalars(Packet(stopped=True, snapshot=self.newest)))]
        if name == "play":
            self.playing = True
            self.pace.play(tr.step)
        elif name == "pause":
            self.playing, self.pending, self.want_trace = False, 0, True
        elif name == "step":
            self.pending += int(value or 1)
        elif name == "reset":                   # new weights and data; the user's α and clipping stay
            cfg = tr.config
            self.trainer, self.task = self.build()
            self.trainer.set_lr(cfg.lr)
            self.trainer.set_clip(cfg.clip, cfg.clip_threshold)
            self.playing, self.pending = False, 0
            self._fresh()
            self.pace = Pace(self._per_budget(), self.trainer.step, self.task is not None)
            return [self.fresh_packet()]
        elif name == "keep":                    # past the budget / target: one more budget, no target stop
            self.pace.keep(tr.step)
            self.playing = True
        elif name == "lr":
            tr.set_lr(value)
        elif name == "clip":
            tr.set_clip(*value)
        elif name == "speed":
            self.speed = max(float(value), 0.0)
        elif name == "display":
            tr.set_display(value)
            self.want_trace = True
        elif name == "trace":
            self.want_trace = True
        elif name == "evaluate":
            self.want_metrics = True
        elif name == "phase":                   # the phases of the next update, on a copy of the run
            return [self._stamp(Packet(reply=("phase", tr.phases_on_copy())))]
        elif name == "save":
            try:
                from .fileio import jsonable
                from .runs import save_run
                info = {} if self.metrics is None else {"metrics": jsonable(self.metrics[0], finite=True),
                                                        "metrics_step": int(self.metrics[1])}
                return [self._stamp(Packet(reply=("save", str(save_run(value, tr, self.task, info)))))]
            except Exception as e:  # noqa: BLE001
                return [self._stamp(Packet(reply=("save", None), message=f"Could not save: {e}"))]
        else:
            raise ValueError(f"unknown command {name!r}; one of {', '.join(COMMANDS)}")
        return []

    # -- steps and packets ---------------------------------------------------------------
    def advance(self) -> Packet | None:
        """One optimizer step if one is due; → a packet only if the step raised."""
        now = self.clock()
        if not (self.pending > 0 or (self.playing and (self.speed == 0 or now >= self.next_step_at))):
            return None
        try:
            snap = self.trainer.train_step()
        except Exception as e:  # noqa: BLE001 - reported, the run stays (reset or save it)
            if self.reraise:
                raise
            self.playing, self.pending = False, 0
            return self._stamp(self._scalars(Packet(error=describe(e), snapshot=self.newest)))
        self.newest = snap
        self.steps_since += 1
        self.pending = max(self.pending - 1, 0)
        if snap.ok:
            self.rows.append((snap.step, snap.loss, snap.grad_norm, snap.grad_norm_clipped, snap.clipped))
            words = self.pace.after_step(snap.step) if self.playing else None
            if words:
                self._reach(words)
                self.want_metrics = self.task is not None
        else:
            self.playing, self.pending = False, 0
        self.next_step_at = now + 1.0 / self.speed if self.speed > 0 else 0.0
        return None

    def packet(self, interval: float = PACKET_INTERVAL) -> Packet | None:
        """The packet due now, if any: scalars of the steps since the last one, and what else is due."""
        now = self.clock()
        if self.task is not None and self.playing and self.auto_metrics and now >= self.next_metrics:
            self.want_metrics = True
        diverged = self.newest is not None and not self.newest.ok
        evaluated = self.evaluator.ready
        if not (self.rows or self.want_trace or self.want_metrics or diverged or self.reached or evaluated):
            return None
        if now - self.last_send < interval and self.busy:
            return None
        p = self._scalars(Packet(snapshot=self.newest))
        if evaluated:
            self._metrics(p, self.evaluator.take())
        if self.want_metrics and self.task is not None and self.evaluator.start(self.task, self.trainer.model,
                                                                                 self.trainer.step):
            p.evaluating = True
        if diverged:
            p.diverged = self.newest.diverged
            self.newest = replace(self.newest, diverged=None)        # say it once
        elif self.traces and (self.want_trace or not self.playing or now - self.last_trace >= TRACE_INTERVAL):
            p.trace = self._traced()
            self.last_trace = now
            if p.snapshot is not None:
                p.snapshot = replace(p.snapshot, trace=p.trace)
            if self.want_trace:
                p.example = self.trainer.display
        elif p.snapshot is not None:
            p.snapshot = replace(p.snapshot, trace=None)              # the GUI keeps the last trace
        if self.weights and not (self.playing and now - self.last_weights < WEIGHTS_INTERVAL):
            p.weights = self.trainer.model.state_dict()
            self.last_weights = now
        if self.reached:
            p.reached, self.reached = self.reached, None
        p.rate = self.steps_since / max(now - self.last_send, 1e-9)
        self.steps_since = 0
        self.want_trace = self.want_metrics = False
        self.last_send = now
        return self._stamp(p)

    def fresh_packet(self) -> Packet:
        """The first packet of a run (and of a reset): everything shown starts here."""
        tr = self.trainer
        metrics, step = self.metrics or (None, None)
        return self._stamp(Packet(reset=True, trace=self._traced() if self.traces else None, example=tr.display,
                                  history=tr.history.to_state(), metrics=metrics, metrics_step=step,
                                  weights=tr.model.state_dict() if self.weights else None))

    def _metrics(self, p: Packet, done):
        """An evaluation ended: its metrics (or its error, in words) go in ``p``."""
        p.evaluating = False
        if done.error is not None:
            p.message = f"Could not evaluate the task's metrics: {done.error}"
        else:
            p.metrics, p.metrics_step = done.metrics, done.step
            self.metrics = (done.metrics, done.step)
        self.next_metrics = self.clock() + max(METRICS_INTERVAL, 20 * done.seconds)
        words = self.pace.after_metrics(self.task, done.metrics, done.step) if self.playing else None
        if words:
            self._reach(words)

    def _reach(self, words: str):
        """Play pauses itself: the moment of learning stays on screen."""
        self.playing, self.pending, self.want_trace = False, 0, True
        self.reached = words

    def _traced(self):
        try:
            return self.trainer.trace_display()
        except Exception:  # noqa: BLE001 - a bad display example must not stop training
            return None

    def _scalars(self, p: Packet) -> Packet:
        if self.rows:
            st, lo, gn, gc, cl = zip(*self.rows)
            p.steps, p.loss = np.array(st, np.int64), np.array(lo, float)
            p.grad_norm, p.grad_norm_clipped = np.array(gn, float), np.array(gc, float)
            p.clipped = np.array(cl, bool)
            self.rows = []
        return p

    def _stamp(self, p: Packet) -> Packet:
        cfg = self.trainer.config
        p.playing, p.acked, p.step, p.source = self.playing, self.acked, self.trainer.step, self.name
        p.lr, p.clip = cfg.lr, (cfg.clip, cfg.clip_threshold)
        p.budget = self.pace.budget
        return p


def run(sessions: list[Session], commands, interval: float = PACKET_INTERVAL, consumed=None,
        parent_alive: Callable[[], bool] = lambda: True) -> Iterator[list[Packet]]:
    """The loop: commands to every session, a step of each in turn, due packets out.

    Yields a non-empty list of packets per message; ends after 'stop' (the last
    message holds each session's stopped packet) or when ``parent_alive()`` turns
    False. ``consumed.value`` counts the messages the GUI has taken: with
    :data:`MAX_IN_FLIGHT` waiting, regular packets are held back (back-pressure).
    """
    sent = 0
    yield [s.fresh_packet() for s in sessions]
    sent += 1
    last_check = time.perf_counter()
    while True:
        out = []
        for name, value in _drain(commands, min(s.wait() for s in sessions)):
            for s in sessions:
                out += s.command(name, value)
            if name == "stop":
                yield out
                return
        for s in sessions:
            failed = s.advance()
            if failed is not None:
                out.append(failed)
        now = time.perf_counter()
        if now - last_check > 1.0:
            last_check = now
            if not parent_alive():
                return
        if consumed is None or sent - consumed.value < MAX_IN_FLIGHT:
            out += [p for p in (s.packet(interval) for s in sessions) if p is not None]
        if out:
            sent += 1
            yield out


def _drain(commands, block_for: float) -> list:
    """All waiting commands; waits up to ``block_for`` seconds for the first one."""
    out = []
    try:
        out.append(commands.get(timeout=block_for) if block_for > 0 else commands.get_nowait())
        while True:
            out.append(commands.get_nowait())
    except queue.Empty:
        pass
    return out


def serve(build_sessions: Callable[[], list[Session]], commands, put: Callable, **kwargs) -> None:
    """Build the sessions and run them, handing each message to ``put`` (a child process's or a
    thread's packet queue). A run that cannot be built is one error packet."""
    try:
        sessions = build_sessions()
    except Exception as e:  # noqa: BLE001 - reported, not swallowed
        put([Packet(error=describe(e), stopped=True)])
        return
    for message in run(sessions, commands, **kwargs):
        put(message)


class _Steps:
    """Commands for a headless run: 'step n' first, then 'stop' once the steps are taken
    (or a step diverged) or ``should_stop()`` says so."""

    def __init__(self, session: Session, steps: int, should_stop: Callable[[], bool]):
        self.session, self.should_stop = session, should_stop
        self.script = [("step", steps)] if steps > 0 else []
        self.stopped = self.given = False

    def get(self, timeout=None):
        return self.get_nowait()

    def get_nowait(self):
        if self.given:                          # one command per turn of the loop: it is applied first
            self.given = False
            raise queue.Empty
        if self.script:
            self.given = True
            return self.script.pop()
        if not self.stopped and (self.should_stop() or not self.session.busy):
            self.stopped = self.given = True
            return ("stop", None)
        raise queue.Empty


def train(session: Session, steps: int, should_stop: Callable[[], bool] = lambda: False,
          interval: float = 0.2) -> Iterator[Packet]:
    """Headless (``rnnscope train``): ``steps`` optimizer steps through the same loop, a packet
    every ``interval`` seconds; ``should_stop()`` is asked between steps. The last packet is the
    stopped one. An exception in a step propagates."""
    session.reraise = True
    for message in run([session], _Steps(session, steps, should_stop), interval):
        yield from message


def describe(e: BaseException) -> str:
    """The traceback of ``e`` as text."""
    return "".join(traceback.format_exception(type(e), e, e.__traceback__))
