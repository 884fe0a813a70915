"""What every toy task provides, and the registry the app and CLI list.

A task is a seeded generator of batches with its vocabulary, its sequence
shape, its metrics and defaults that train to its target quickly. Tasks are
data sources for :class:`rnncore.trainer.Trainer` (they have ``batch``).

To add one: subclass :class:`Task`, decorate it with :func:`register`, and import
its module in ``rnncore/tasks/__init__.py``.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

import numpy as np

from ..config import ConfigError, ModelConfig, TrainConfig
from ..data import Batch
from ..inputs import InputError, Reading

TASKS: dict[str, type["Task"]] = {}


def register(cls):
    """Class decorator: make the task available by its ``name``."""
    TASKS[cls.name] = cls
    return cls


def make_task(name: str, **options) -> "Task":
    """The task called ``name`` with the given options (validated)."""
    if name not in TASKS:
        raise ConfigError(f"task must be one of {', '.join(sorted(TASKS))}; got {name!r}")
    return TASKS[name](**options)


class Vocab:
    """Tokens ↔ ids. Encoding an unknown token is an error that lists them all."""

    def __init__(self, tokens):
        self.tokens = list(dict.fromkeys(tokens))
        self.index = {t: i for i, t in enumerate(self.tokens)}

    def __len__(self):
        return len(self.tokens)

    def __contains__(self, token):
        return token in self.index

    def encode(self, tokens) -> np.ndarray:
        unknown = [t for t in tokens if t not in self.index]
        if unknown:
            shown = ", ".join(repr(t) for t in dict.fromkeys(unknown))
            raise InputError(f"unknown token(s): {shown} (the vocabulary has {len(self)} tokens)")
        return np.array([self.index[t] for t in tokens], np.intp)

    def decode(self, ids) -> list[str]:
        return [self.tokens[int(i)] for i in ids]


class Task:
    """Base class. Subclasses set the class attributes and implement the methods."""

    name: ClassVar[str] = ""          # registry key, e.g. "agreement"
    title: ClassVar[str] = ""         # shown in menus, e.g. "Plural agreement"
    lesson: ClassVar[str] = ""        # the idea of the notes it makes visible, one sentence
    shape: ClassVar[str] = ""         # a ModelConfig.shape
    defaults: ClassVar[dict] = {}     # default options (also the allowed option names)
    model_defaults: ClassVar[dict] = {}   # ModelConfig fields the task suggests (cell, hidden_size, ...)
    train_defaults: ClassVar[dict] = {}   # TrainConfig fields the task suggests (lr, steps, ...)
    default_steps: ClassVar[int] = 1000   # optimizer steps that reach the target with the defaults

    def __init__(self, **options: Any):
        unknown = sorted(set(options) - set(self.defaults))
        if unknown:
            allowed = ", ".join(sorted(self.defaults)) or "none"
            raise ConfigError(f"unknown option(s) for task {self.name!r}: {', '.join(unknown)} (allowed: {allowed})")
        self.options = {**self.defaults, **options}

    # -- the model this task needs ------------------------------------------
    def io_config(self) -> dict:
        """ModelConfig fields fixed by the data: input_size / vocab_size, output, output_size, shape ..."""
        raise NotImplementedError

    def model_config(self, **overrides) -> ModelConfig:
        fields = {**self.model_defaults, **overrides, **self.io_config()}
        return ModelConfig(**fields)

    def train_config(self, **overrides) -> TrainConfig:
        return TrainConfig(**{**self.train_defaults, **overrides})

    # the seed of the run this task trains or evaluates (Trainer.create and Run.make_task set
    # it): a task that scores an untrained model beside the trained one builds the run's own
    # first weights from it, as Trainer.create did
    run_seed = 0

    def prepare_model(self, model) -> None:
        """Adjust a freshly built model before training (``Trainer.create`` calls it;
        resumed or imported weights are left alone). Default: nothing."""

    # -- data ----------------------------------------------------------------
    def batch(self, rng: np.random.Generator, size: int) -> Batch:
        """A training batch of ``size`` sequences drawn with ``rng``."""
        raise NotImplementedError

    def display_example(self) -> Batch:
        """The example shown in the app by default (N = 1), e.g. the notes' sentence."""
        raise NotImplementedError

    def describe(self, batch: Batch, i: int = 0) -> dict:
        """Human-readable row i: {'x': tokens as strings, 'y': targets as strings}."""
        raise NotImplementedError

    def encode(self, text: str) -> Batch:
        """A sequence the user typed → a batch of one (targets where they can be inferred,
        else zeros). Unknown tokens raise InputError listing them."""
        raise NotImplementedError

    def read(self, text: str) -> Reading:
        """``encode`` for the app's sentence box, lenient where the task can be: tokens the
        vocabulary lacks are read as its out-of-vocabulary token and listed, skipped pieces
        are listed (word tasks, dates override it). Here: ``encode`` as it is."""
        return Reading(self.encode(text))

    def input_tokens(self) -> list[str] | None:
        """The tokens a typed sequence is made of (the sentence box's vocabulary list), without
        the special ones (<pad>, <s> …); None when the input is not tokens (numbers)."""
        vocab = getattr(self, "inp", None) or getattr(self, "vocab", None)
        if vocab is None:
            return None
        return [t for t in vocab.tokens if not (len(t) > 2 and t.startswith("<") and t.endswith(">"))]

    # -- metrics -------------------------------------------------------------
    def evaluate(self, model, rng: np.random.Generator | None = None) -> dict:
        """The task's metrics on held-out data, as plain numbers / dicts."""
        raise NotImplementedError

    def target_reached(self, metrics: dict) -> bool:
        """Did ``metrics`` meet the task's target (the issue's numbers)?"""
        raise NotImplementedError

    def with_options(self, **options) -> "Task":
        return type(self)(**{**self.options, **options})


def replace_config(config, **changes):
    return replace(config, **changes)
