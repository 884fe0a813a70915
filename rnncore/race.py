"""Race: the four cells of the notes trained side by side on one task.

A vanilla RNN, the simplified GRU (update gate only), the full GRU and the LSTM
are built from the same task, the same options and the same seed, and trained
round-robin in one generator: one optimizer step of each cell in turn. Every
trainer draws its batches from its own generator seeded identically, so each
cell sees exactly the same data stream; only the cell (and so its weights) differ.

Each step yields a :class:`CellStep`: the cell's loss and gradient norm, and,
every ``trace_every`` steps, ‖∂L/∂a<t>‖ over the display example's time steps
(how much gradient reaches each step back in time: the vanishing-gradient lesson
in one line per cell); every ``eval_every`` rounds, the task's metrics (e.g. the
agreement task's accuracy by distance).

``run_race`` runs a race headless (tests, benchmarks); ``race_loop`` runs one
behind two queues for a GUI (the same command protocol as the app's worker:
play, pause, step, evaluate, stop), in a thread or a child process. Nothing
here imports Qt.
"""
from __future__ import annotations

import queue
import time
from dataclasses import dataclass, field
from typing import Iterator

import numpy as np

from .config import ModelConfig
from .trainer import Trainer

CELLS = ("rnn", "gru-simple", "gru", "lstm")
CELL_TITLES = {"rnn": "Vanilla RNN", "gru-simple": "Simplified GRU", "gru": "GRU", "lstm": "LSTM"}
PACKET_INTERVAL = 0.05      # seconds between packets while racing (20 per second)


@dataclass(frozen=True)
class CellStep:
    """One optimizer step of one cell in the race (read-only arrays)."""
    cell: str                          # rnn | gru-simple | gru | lstm
    round: int                         # rounds completed by every cell still racing (this one included)
    step: int                          # this cell's optimizer steps
    loss: float
    grad_norm: float                   # global ‖g‖ before clipping
    flows: np.ndarray | None = None    # (T,) ‖∂L/∂a<t>‖ of the display example, first layer, all directions
    metrics: dict | None = None        # task.evaluate(model), when evaluated at this step
    diverged: str | None = None        # the cell stopped: why, in words (the others race on)


@dataclass
class RaceSpec:
    """Everything needed to build a race; picklable plain data (for a child process)."""
    task: str = "agreement"
    task_options: dict = field(default_factory=dict)
    model: dict = field(default_factory=dict)      # ModelConfig overrides for every cell (not 'cell')
    train: dict = field(default_factory=dict)      # TrainConfig overrides (seed ...)
    cells: tuple = CELLS

    def build(self) -> "Race":
        from .tasks import make_task
        return Race(make_task(self.task, **self.task_options), self.cells, self.model, self.train)


class Race:
    """The cells' trainers on one task; ``run()`` is the round-robin generator."""

    def __init__(self, task, cells=CELLS, model: dict | None = None, train: dict | None = None):
        model, train = dict(model or {}), dict(train or {})
        if "cell" in model:
            raise ValueError("a race sets each cell itself; remove 'cell' from the model options")
        unknown = [c for c in cells if c not in CELLS]
        if unknown or not cells or len(set(cells)) != len(cells):
            raise ValueError(f"cells must be distinct values of {', '.join(CELLS)}; got {list(cells)}")
        self.task = task
        self.cells = tuple(cells)
        self.train_config = task.train_config(**train)
        display = task.display_example()
        self.trainers: dict[str, Trainer] = {}
        for c in self.cells:
            fields = {**task.model_defaults, **model, **task.io_config(), "cell": c}
            if c != "rnn":          # options of one cell only (the RNN's g, PyTorch's GRU variant)
                fields.pop("activation", None)
            if c != "gru":
                fields.pop("reset_after", None)
            self.trainers[c] = Trainer.create(ModelConfig(**fields), self.train_config, task, display=display)
        self.rounds = 0
        self.stopped: dict[str, str] = {}         # cell → why it stopped (diverged)

    @property
    def racing(self) -> list[str]:
        return [c for c in self.cells if c not in self.stopped]

    def run(self, rounds: int | None = None, trace_every: int = 1, eval_every: int = 0) -> Iterator[CellStep]:
        """One CellStep per optimizer step, cells in turn, for ``rounds`` rounds (or forever,
        or until every cell has stopped)."""
        n = 0
        while (rounds is None or n < rounds) and self.racing:
            n += 1
            yield from self.round(trace=trace_every > 0 and n % trace_every == 0,
                                  evaluate=eval_every > 0 and n % eval_every == 0)

    def round(self, trace: bool = True, evaluate: bool = False) -> list[CellStep]:
        """One optimizer step of every cell still racing."""
        self.rounds += 1
        out = []
        for c in self.racing:
            tr = self.trainers[c]
            snap = tr.train_step()
            if not snap.ok:
                self.stopped[c] = snap.diverged
                out.append(CellStep(c, self.rounds, tr.step, snap.loss, snap.grad_norm, diverged=snap.diverged))
                continue
            out.append(CellStep(c, self.rounds, tr.step, snap.loss, snap.grad_norm,
                                self.flows(c) if trace else None, self.evaluate(c) if evaluate else None))
        return out

    def flows(self, cell: str) -> np.ndarray:
        """(T,) ‖∂L/∂a<t>‖ over the units of the first layer (both directions) for the display example."""
        tr = self.trainers[cell].trace_display()
        part = "enc" if "enc" in tr.flows else "rnn"
        T = int(tr.lengths[0])
        sq = sum(np.sum(np.square(f[:T, 0, :], dtype=np.float64), axis=-1) for f in tr.flows[part][0])
        return _ro(np.sqrt(sq))

    def evaluate(self, cell: str) -> dict:
        return self.task.evaluate(self.trainers[cell].model, np.random.default_rng(0))


@dataclass
class RaceResult:
    """A headless race: per cell, every step's loss and the last flows and metrics."""
    cells: tuple
    losses: dict          # cell → (steps,) float array
    grad_norms: dict      # cell → (steps,)
    flows: dict           # cell → (T,) last ‖∂L/∂a<t>‖ (None if never traced)
    metrics: dict         # cell → last metrics (None if never evaluated)
    diverged: dict        # cell → why it stopped
    order: list           # (cell, step) in the order the steps were taken


def run_race(task: str = "agreement", rounds: int = 100, seed: int = 0, task_options: dict | None = None,
             model: dict | None = None, train: dict | None = None, cells=CELLS, trace_every: int = 0,
             evaluate: bool = True) -> RaceResult:
    """Race the cells for ``rounds`` rounds, without any GUI; metrics once at the end."""
    spec = RaceSpec(task, dict(task_options or {}), dict(model or {}), {**(train or {}), "seed": seed},
                    tuple(cells))
    race = spec.build()
    losses = {c: [] for c in race.cells}
    norms = {c: [] for c in race.cells}
    flows, order = {c: None for c in race.cells}, []
    for s in race.run(rounds, trace_every=trace_every):
        order.append((s.cell, s.step))
        if s.diverged is None:
            losses[s.cell].append(s.loss)
            norms[s.cell].append(s.grad_norm)
        if s.flows is not None:
            flows[s.cell] = s.flows
    for c in race.cells:
        if flows[c] is None:
            flows[c] = race.flows(c)
    metrics = {c: race.evaluate(c) if evaluate else None for c in race.cells}
    return RaceResult(race.cells, {c: np.array(v) for c, v in losses.items()},
                      {c: np.array(v) for c, v in norms.items()}, flows, metrics, dict(race.stopped), order)


# -- behind queues, for a GUI ---------------------------------------------------
@dataclass
class RacePacket:
    """What goes up to the GUI: every step's loss since the last packet, newest flows, metrics."""
    playing: bool = False
    rounds: int = 0
    cells: tuple = CELLS
    steps: dict = field(default_factory=dict)       # cell → (n,) int steps since the last packet
    losses: dict = field(default_factory=dict)      # cell → (n,) losses of those steps
    flows: dict = field(default_factory=dict)       # cell → (T,) newest ‖∂L/∂a<t>‖
    metrics: dict = field(default_factory=dict)     # cell → metrics, when evaluated
    tokens: list | None = None                      # the display example's tokens (first packet)
    diverged: dict = field(default_factory=dict)    # cell → why it stopped (once)
    error: str | None = None                        # traceback of an exception
    reset: bool = False                             # a new race began
    stopped: bool = False                           # the loop ended
    rate: float = 0.0                               # rounds per second


def race_loop(spec: RaceSpec, commands, packets, parent_alive=lambda: True,
              interval: float = PACKET_INTERVAL) -> None:
    """Race as the commands say until 'stop'. Commands (name, value): play, pause,
    step (n rounds), evaluate, reset, stop. Packets go up at most every ``interval`` s."""
    import traceback

    def describe(e):
        return "".join(traceback.format_exception(type(e), e, e.__traceback__))

    def tokens_of(race):
        try:
            return [str(t) for t in race.task.describe(race.task.display_example())["x"]]
        except Exception:   # noqa: BLE001 - tokens are a label, never essential
            return None

    try:
        race = spec.build()
    except Exception as e:  # noqa: BLE001 - reported, not swallowed
        packets.put(RacePacket(error=describe(e), stopped=True))
        return
    playing, pending, want_eval = False, 0, False
    pkt = RacePacket(reset=True, cells=race.cells, tokens=tokens_of(race),
                     flows={c: race.flows(c) for c in race.cells})
    packets.put(pkt)
    pkt = RacePacket(cells=race.cells)
    last_send = last_check = time.perf_counter()
    rounds_since = 0
    while True:
        block = 0.0 if playing or pending else 0.1
        cmds = []
        try:
            cmds.append(commands.get(timeout=block) if block else commands.get_nowait())
            while True:
                cmds.append(commands.get_nowait())
        except queue.Empty:
            pass
        except (EOFError, OSError):
            return
        for name, value in cmds:
            if name == "stop":
                pkt.stopped, pkt.playing, pkt.rounds = True, False, race.rounds
                packets.put(pkt)
                return
            if name == "play":
                playing = True
            elif name == "pause":
                playing, pending = False, 0
            elif name == "step":
                pending += int(value or 1)
            elif name == "evaluate":
                want_eval = True
            elif name == "reset":
                race = spec.build()
                playing, pending = False, 0
                pkt = RacePacket(reset=True, cells=race.cells, tokens=tokens_of(race),
                                 flows={c: race.flows(c) for c in race.cells})
                packets.put(pkt)
                pkt = RacePacket(cells=race.cells)
        if (playing or pending) and race.racing:
            try:
                for s in race.round(trace=False):
                    if s.diverged:
                        pkt.diverged[s.cell] = s.diverged
                    else:
                        pkt.steps.setdefault(s.cell, []).append(s.step)
                        pkt.losses.setdefault(s.cell, []).append(s.loss)
            except Exception as e:  # noqa: BLE001
                playing, pending = False, 0
                pkt.error = describe(e)
            pending = max(pending - 1, 0)
            rounds_since += 1
        elif not race.racing:
            playing, pending = False, 0      # every cell has stopped
        now = time.perf_counter()
        if now - last_check > 1.0:
            last_check = now
            if not parent_alive():
                return
        idle = not (playing or pending)
        if (now - last_send >= interval or idle) and (pkt.steps or pkt.diverged or pkt.error or want_eval
                                                      or rounds_since):
            try:
                for c in race.racing:                      # newest flows, once per packet
                    pkt.flows[c] = race.flows(c)
                if want_eval:
                    want_eval = False
                    pkt.metrics = {c: race.evaluate(c) for c in race.cells}
            except Exception as e:  # noqa: BLE001 - said in the window, never a silent end of the loop
                pkt.error = describe(e)
            pkt.steps = {c: np.array(v, np.int64) for c, v in pkt.steps.items()}
            pkt.losses = {c: np.array(v, float) for c, v in pkt.losses.items()}
            pkt.playing, pkt.rounds = playing, race.rounds
            pkt.rate = rounds_since / max(now - last_send, 1e-9)
            packets.put(pkt)
            pkt = RacePacket(cells=race.cells)
            rounds_since = 0
            last_send = now


def child_main(spec: RaceSpec, commands, packets) -> None:
    """Entry point of a race in a child process."""
    import multiprocessing as mp
    parent = mp.parent_process()
    try:
        race_loop(spec, commands, packets, parent_alive=(parent.is_alive if parent else (lambda: True)))
    finally:
        packets.cancel_join_thread()


def _ro(a):
    a = np.asarray(a)
    a.flags.writeable = False
    return a
