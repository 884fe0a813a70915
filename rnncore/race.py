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

``run_race`` runs a race headless (tests, benchmarks). For a GUI,
``RaceSpec.sessions()`` gives one rnncore.session.Session per cell, which the
session loop steps in turn (the app's bridge runs it, as it runs a single
training run). Nothing here imports Qt.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

import numpy as np

from .config import ModelConfig
from .trainer import Trainer
from .plain import readonly

CELLS = ("rnn", "gru-simple", "gru", "lstm")
CELL_TITLES = {"rnn": "Vanilla RNN", "gru-simple": "Simplified GRU", "gru": "GRU", "lstm": "LSTM"}


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

    def sessions(self) -> list:
        """One session per cell (named by its cell): the same task object, each cell's own trainer;
        a reset rebuilds that cell's trainer from the seed. Metrics only when asked."""
        from functools import partial
        from .session import Session
        race = self.build()
        return [Session(partial(race.cell_run, c), name=c, weights=False, auto_metrics=False) for c in race.cells]


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
        self.model_options = model
        self.display = task.display_example()
        self.trainers: dict[str, Trainer] = {c: self.trainer(c) for c in self.cells}
        self.rounds = 0
        self.stopped: dict[str, str] = {}         # cell → why it stopped (diverged)

    def trainer(self, cell: str) -> Trainer:
        """A fresh trainer of ``cell`` from the seed (the same for every call)."""
        fields = {**self.task.model_defaults, **self.model_options, **self.task.io_config(), "cell": cell}
        if cell != "rnn":          # options of one cell only (the RNN's g, PyTorch's GRU variant)
            fields.pop("activation", None)
        if cell != "gru":
            fields.pop("reset_after", None)
        return Trainer.create(ModelConfig(**fields), self.train_config, self.task, display=self.display)

    def cell_run(self, cell: str):
        """(fresh trainer, task) of one cell: what a Session builds."""
        return self.trainer(cell), self.task

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
        return gradient_through_time(self.trainers[cell].trace_display())

    def evaluate(self, cell: str) -> dict:
        return self.task.evaluate(self.trainers[cell].model, np.random.default_rng(0))


def gradient_through_time(trace) -> np.ndarray:
    """(T,) ‖∂L/∂a<t>‖ of a trace (N = 1) over the units of its first layer, both directions."""
    part = "enc" if "enc" in trace.flows else "rnn"
    T = int(trace.lengths[0])
    sq = sum(np.sum(np.square(f[:T, 0, :], dtype=np.float64), axis=-1) for f in trace.flows[part][0])
    return readonly(np.sqrt(sq))


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
