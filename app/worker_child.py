"""The training side of the worker. Imports rnncore only, never Qt.

``run_loop`` drives one :class:`rnncore.trainer.Trainer` and talks to the GUI
through two queues: commands come down (read between optimizer steps, never in
the middle of one), :class:`Packet` objects go up. It runs in a child process
(the default: no GIL shared with the GUI) or, for comparison, on a thread; the
code is the same, only the queues differ.

Packets go up at most every ``interval`` seconds while training, and carry the
scalars of *every* step since the previous packet (so the loss curve misses
nothing) plus the newest snapshot, a fresh trace of the display example and,
now and then, the task's metrics. Older traces are never queued.
"""
from __future__ import annotations

import importlib
import os
import queue
import time
import traceback
from dataclasses import dataclass, field, replace

import numpy as np

#: seconds between packets while training (≈ 33 per second, the UI clock's rate)
PACKET_INTERVAL = 0.03
#: regular packets the GUI may have waiting before the loop holds the next one back
#: (scalars keep accumulating meanwhile, so nothing is lost: a slow GUI gets fewer,
#: fuller packets instead of a growing backlog)
MAX_IN_FLIGHT = 3

#: seconds between traces of the display example while training: internals drawn 10 times a
#: second read as motion, and each trace costs the trainer a pass and the GUI a redraw of every
#: heatmap (scalars still go up with every packet); paused or stepped runs are traced at once
TRACE_INTERVAL = 0.1
#: task metrics are re-evaluated at most this often (seconds), and take at most ~5 % of the time
METRICS_INTERVAL = 2.0
#: seconds between copies of the weights while training (analyses in the GUI use them)
WEIGHTS_INTERVAL = 0.5


@dataclass
class RunSpec:
    """Everything the child needs to build a run; picklable, plain data."""
    task: str | None = None              # rnncore.tasks.TASKS key
    task_options: dict = field(default_factory=dict)
    model: dict = field(default_factory=dict)    # ModelConfig fields (task io fields are filled in)
    train: dict = field(default_factory=dict)    # TrainConfig fields
    run_path: str | None = None          # continue a saved run (rnncore.runs) instead of a fresh one
    weights: dict | None = None          # start from these weights (ModelConfig-compatible)
    torch_path: str | None = None        # look inside a PyTorch nn.RNN/GRU/LSTM (rnncore.torch_import): no task
    nonlinearity: str | None = None      # an nn.RNN's tanh / relu (not stored in its weights)
    factory: str | None = None           # "module:function": spec → (trainer, task); tests and benchmarks

    def build(self):
        """(trainer, task), from scratch: the same spec always gives the same run."""
        if self.factory:
            mod, fn = self.factory.split(":")
            return getattr(importlib.import_module(mod), fn)(self)
        from rnncore.config import ModelConfig, TrainConfig
        from rnncore.trainer import Trainer
        import rnncore.tasks  # noqa: F401  (registers the tasks)
        if self.torch_path:
            from rnncore.data import Batch
            from rnncore.torch_import import load_torch_weights
            imp = load_torch_weights(self.torch_path, self.nonlinearity)
            cfg = imp.model.config
            rng = np.random.default_rng(0)
            x = rng.standard_normal((64, 12, cfg.input_size))
            data = Batch(x, np.zeros((64, 12, cfg.output_size)))   # no targets: L<t> and ∂L/∂a<t> are of 0
            return Trainer(imp.model, data, TrainConfig(), display=data.take(0)), None
        if self.run_path:
            from rnncore.runs import load_run
            run = load_run(self.run_path)
            task = run.make_task()
            display = task.display_example() if task is not None else None
            return run.make_trainer(display=display), task
        from rnncore.tasks import make_task
        task = make_task(self.task, **self.task_options)
        mc = task.model_config(**self.model)
        tc = task.train_config(**self.train)
        trainer = Trainer.create(mc, tc, task, display=task.display_example())
        if self.weights is not None:
            trainer.model.load_state_dict(self.weights)
        return trainer, task


@dataclass
class Packet:
    """What goes up to the GUI. Every field but ``playing`` is optional."""
    playing: bool = False
    steps: np.ndarray | None = None          # (n,) step numbers of the steps since the last packet
    loss: np.ndarray | None = None           # (n,) L of each of those steps
    grad_norm: np.ndarray | None = None      # (n,) ‖g‖ before clipping
    grad_norm_clipped: np.ndarray | None = None   # (n,) ‖g‖ after clipping
    clipped: np.ndarray | None = None        # (n,) bool
    snapshot: object = None                  # newest Snapshot, its ``trace`` = the newest trace
    trace: object = None                     # newest Trace of the display example (N = 1)
    example: object = None                   # the display example (Batch, N = 1) when it changed
    metrics: dict | None = None              # task.evaluate(model)
    weights: dict | None = None              # copies of the model's parameters (at most every WEIGHTS_INTERVAL
                                             # while training; always when paused, stepped or reset)
    rate: float = 0.0                        # optimizer steps per second since the last packet
    reset: bool = False                      # a new run began: drop everything shown
    history: dict | None = None              # History.to_state() at a reset (opened runs have a past)
    step: int = 0                            # optimizer steps taken so far
    lr: float | None = None
    clip: tuple | None = None                # (mode, threshold)
    message: str | None = None               # words for the status bar (divergence, a refused value ...)
    diverged: str | None = None              # training paused because of this (NaN/Inf), in words
    error: str | None = None                 # traceback text of an exception in the trainer
    reply: tuple | None = None               # (request name, value): answer to a request
    stopped: bool = False                    # the loop ended; nothing will follow
    acked: int = 0                           # commands processed so far (the GUI trusts ``playing``
                                             # only once every command it sent is processed)

    @property
    def n(self) -> int:
        return 0 if self.steps is None else len(self.steps)


class _Scalars:
    """Per-step scalars collected between packets."""

    def __init__(self):
        self.clear()

    def clear(self):
        self.rows = []

    def add(self, s):
        self.rows.append((s.step, s.loss, s.grad_norm, s.grad_norm_clipped, s.clipped))

    def fill(self, p: Packet):
        if self.rows:
            st, lo, gn, gc, cl = zip(*self.rows)
            p.steps, p.loss = np.array(st, np.int64), np.array(lo, float)
            p.grad_norm, p.grad_norm_clipped = np.array(gn, float), np.array(gc, float)
            p.clipped = np.array(cl, bool)
        self.clear()


def _drain(commands, block_for: float):
    """All waiting commands; waits up to ``block_for`` seconds for the first one."""
    out = []
    try:
        out.append(commands.get(timeout=block_for) if block_for > 0 else commands.get_nowait())
        while True:
            out.append(commands.get_nowait())
    except queue.Empty:
        pass
    return out


def run_loop(spec: RunSpec, commands, packets, parent_alive=lambda: True,
             interval: float = PACKET_INTERVAL, consumed=None) -> None:
    """Train as the commands say until 'stop' (or the parent is gone).

    Commands are tuples ``(name, value)``: play, pause, step (n), stop, reset,
    lr (float), clip ((mode, threshold)), speed (steps/s, 0 = as fast as possible),
    display (Batch), trace, evaluate, save (path), state.
    ``consumed.value`` counts the packets the GUI has handled (back-pressure).
    """
    sent = 0

    def send(p: Packet):
        nonlocal sent
        sent += 1
        p.playing = playing
        p.acked = acked
        p.step = trainer.step if trainer is not None else 0
        if trainer is not None:
            p.lr, p.clip = trainer.config.lr, (trainer.config.clip, trainer.config.clip_threshold)
        packets.put(p)

    def traced() -> object:
        try:
            return trainer.trace_display()
        except Exception:   # a bad display example must not stop training
            return None

    trainer = task = None
    playing = False
    acked = 0
    try:
        trainer, task = spec.build()
    except Exception as e:  # noqa: BLE001 - reported, not swallowed
        send(Packet(error=_describe(e), stopped=True))
        return

    def fresh_packet():
        return Packet(reset=True, trace=traced(), example=trainer.display,
                      history=trainer.history.to_state(), weights=trainer.model.state_dict())

    send(fresh_packet())
    scalars = _Scalars()
    pending = 0                  # single steps still to take ('step' command)
    speed = 0.0                  # steps per second; 0 = full speed
    newest = None
    want_trace = want_metrics = False
    last_send = last_check = time.perf_counter()
    next_metrics = last_send + 0.5
    last_weights = last_trace = last_send
    metrics_cost = 0.0
    steps_since = 0
    next_step_at = 0.0
    while True:
        wait = 0.0 if playing or pending > 0 else 0.1
        if playing and speed > 0 and pending == 0:
            wait = min(max(0.0, next_step_at - time.perf_counter()), 0.1)
        for name, value in _drain(commands, wait):
            acked += 1
            try:
                if name == "stop":
                    scalars.fill(p := Packet(stopped=True, snapshot=newest))
                    send(p)
                    return
                elif name == "play":
                    playing = True
                elif name == "pause":
                    playing, pending = False, 0
                    want_trace = True
                elif name == "step":
                    pending += int(value or 1)
                elif name == "reset":
                    trainer, task = spec.build()
                    playing, pending, newest = False, 0, None
                    scalars.clear()
                    send(fresh_packet())
                elif name == "lr":
                    trainer.set_lr(value)
                    trainer._apply_commands()          # takes effect now, even while paused
                elif name == "clip":
                    trainer.set_clip(*value)
                    trainer._apply_commands()
                elif name == "speed":
                    speed = max(float(value), 0.0)
                elif name == "display":
                    trainer.display = value
                    want_trace = True
                elif name == "trace":
                    want_trace = True
                elif name == "evaluate":
                    want_metrics = True
                elif name == "save":
                    try:
                        from rnncore.runs import save_run
                        saved = save_run(value, trainer, task)
                        send(Packet(reply=("save", str(saved))))
                    except Exception as e:  # noqa: BLE001
                        send(Packet(reply=("save", None), message=f"Could not save: {e}"))
                elif name == "state":
                    from rnncore.runs import run_from_trainer
                    send(Packet(reply=("state", run_from_trainer(trainer, task))))
                elif name == "call":                 # tests: value(trainer) → reply
                    send(Packet(reply=("call", value(trainer))))
            except Exception as e:  # noqa: BLE001 - a refused value is said in words, never fatal
                send(Packet(message=f"{name}: {e}"))
        now = time.perf_counter()
        if pending > 0 or (playing and (speed == 0 or now >= next_step_at)):
            try:
                snap = trainer.train_step()
            except Exception as e:  # noqa: BLE001
                playing, pending = False, 0
                scalars.fill(p := Packet(error=_describe(e), snapshot=newest))
                send(p)
                continue
            newest = snap
            steps_since += 1
            pending = max(pending - 1, 0)
            if snap.ok:
                scalars.add(snap)
            else:
                playing, pending = False, 0
            next_step_at = now + 1.0 / speed if speed > 0 else 0.0
            now = time.perf_counter()
        if now - last_check > 1.0:
            last_check = now
            if not parent_alive():
                return
        if task is not None and playing and now >= next_metrics:
            want_metrics = True
        due = now - last_send >= interval or not (playing or pending > 0)
        if consumed is not None and sent - consumed.value >= MAX_IN_FLIGHT:
            due = False                                   # the GUI is behind: let scalars accumulate
        if (scalars.rows or want_trace or want_metrics or (newest is not None and not newest.ok)) and due:
            p = Packet(snapshot=newest)
            scalars.fill(p)
            if newest is not None and not newest.ok:
                p.diverged = newest.diverged
                newest = replace(newest, diverged=None)   # say it once
            elif want_trace or not playing or now - last_trace >= TRACE_INTERVAL:
                p.trace = traced()
                last_trace = now
                if p.snapshot is not None:
                    p.snapshot = replace(p.snapshot, trace=p.trace)
                if want_trace:
                    p.example = trainer.display
            elif p.snapshot is not None:
                p.snapshot = replace(p.snapshot, trace=None)      # the GUI keeps the last trace
            if want_metrics and task is not None:
                t0 = time.perf_counter()
                try:
                    p.metrics = task.evaluate(trainer.model, np.random.default_rng(0))
                except Exception as e:  # noqa: BLE001 - a metric bug must not stop training
                    p.message = f"Could not evaluate the task's metrics: {e}"
                metrics_cost = time.perf_counter() - t0
                next_metrics = time.perf_counter() + max(METRICS_INTERVAL, 20 * metrics_cost)
            if not (playing and now - last_weights < WEIGHTS_INTERVAL):
                p.weights = trainer.model.state_dict()
                last_weights = now
            p.rate = steps_since / max(now - last_send, 1e-9)
            steps_since = 0
            want_trace = want_metrics = False
            last_send = now
            send(p)


def _describe(e: BaseException) -> str:
    return "".join(traceback.format_exception(type(e), e, e.__traceback__))


def child_main(spec: RunSpec, commands, packets, nice: int = 0, consumed=None) -> None:
    """Entry point of the worker process."""
    import multiprocessing as mp
    if nice:
        try:
            os.nice(nice)
        except OSError:
            pass
    parent = mp.parent_process()
    try:
        run_loop(spec, commands, packets, parent_alive=(parent.is_alive if parent else (lambda: True)),
                 consumed=consumed)
    finally:
        # exit even if the GUI stopped reading: unsent packets are dropped, not waited for
        packets.cancel_join_thread()
