"""What a run is made of, as plain data: a task and its options, a saved run, imported
PyTorch weights, or a factory (tests, benchmarks). It crosses to the training process
and builds the run there (rnncore.session)."""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field

import numpy as np


@dataclass
class RunSpec:
    """Everything needed to build a run; picklable, plain data (it crosses to a child process)."""
    task: str | None = None              # rnncore.tasks.TASKS key
    task_options: dict = field(default_factory=dict)
    model: dict = field(default_factory=dict)    # ModelConfig fields (task io fields are filled in)
    train: dict = field(default_factory=dict)    # TrainConfig fields
    run_path: str | None = None          # continue a saved run (rnncore.runs) instead of a fresh one
    weights: dict | None = None          # start from these weights (ModelConfig-compatible)
    torch_path: str | None = None        # look inside a PyTorch nn.RNN/GRU/LSTM (rnncore.torch_import): no task
    nonlinearity: str | None = None      # an nn.RNN's tanh / relu (not stored in its weights)
    factory: str | None = None           # "module:function": spec → (trainer, task); tests and benchmarks
    budget: int | None = None            # ▶ pauses at this many steps (None: the task's default_steps)
    #: the run file's contents once read (rnncore.runs.Run): read and checked once, by describe() in the
    #: window, then carried to the training process with the spec, which builds (and resets) from it
    loaded: object = field(default=None, repr=False, compare=False)

    def run(self):
        """The saved run (``run_path``), read and checked on first use only."""
        if self.loaded is None:
            from .runs import load_run
            self.loaded = load_run(self.run_path)
        return self.loaded

    def sessions(self) -> list:
        """The one rnncore.session.Session of this run (the bridge serves a list: a race has one per cell)."""
        from .session import Session
        metrics = saved_metrics(self.run()) if self.run_path else None
        # play pauses at the task's budget or target
        return [Session(self.build, pace=True, budget=self.budget, metrics=metrics)]

    def describe(self):
        """(task or None, ModelConfig or None, TrainConfig or None) of the run, without building it:
        what the window shows before the first packet arrives. Raises with words for any problem."""
        if self.factory:                         # tests and benchmarks: the factory's own run, no task
            return None, None, None
        if self.torch_path:
            from .torch_import import load_torch_weights
            return None, load_torch_weights(self.torch_path, self.nonlinearity).model.config, None
        if self.run_path:
            run = self.run()
            return run.make_task(), run.model_config, run.train_config
        from .config import ConfigError
        from .tasks import make_task
        task = make_task(self.task, **self.task_options)
        if task.shape == "one-to-many" and self.model.get("bidirectional"):
            raise ConfigError(f"bidirectional must be off for {task.title or task.name}: it generates one step "
                              "at a time and cannot read future outputs")
        return task, task.model_config(**self.model), task.train_config(**self.train)

    def build(self):
        """(trainer, task), from scratch: the same spec always gives the same run."""
        from .config import TrainConfig
        from .trainer import Trainer
        if self.factory:
            mod, fn = self.factory.split(":")
            return getattr(importlib.import_module(mod), fn)(self)
        if self.torch_path:
            from .data import Batch
            from .torch_import import load_torch_weights
            imp = load_torch_weights(self.torch_path, self.nonlinearity)
            cfg = imp.model.config
            x = np.random.default_rng(0).standard_normal((64, 12, cfg.input_size))
            data = Batch(x, np.zeros((64, 12, cfg.output_size)))   # no targets: L<t> and ∂L/∂a<t> are of 0
            return Trainer(imp.model, data, TrainConfig(), display=data.take(0)), None
        if self.run_path:
            run = self.run()
            task = run.make_task()
            return run.make_trainer(display=task.display_example() if task is not None else None), task
        from .tasks import make_task
        task = make_task(self.task, **self.task_options)
        trainer = Trainer.create(task.model_config(**self.model), task.train_config(**self.train), task,
                                 display=task.display_example())
        if self.weights is not None:
            trainer.model.load_state_dict(self.weights)
        return trainer, task


def saved_metrics(run) -> tuple | None:
    """(task metrics, their step) kept in a run file's info by the window's Save, or None: files
    saved before metrics were kept have none, and a malformed entry is ignored (then evaluated)."""
    metrics, step = run.info.get("metrics"), run.info.get("metrics_step", run.step)
    if not isinstance(metrics, dict) or not metrics or type(step) is not int or not 0 <= step <= run.step:
        return None
    return metrics, step
