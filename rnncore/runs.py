"""Run files: everything needed to look at a trained model again or to resume training.

A run file is a NumPy ``.npz`` (a zip of ``.npy`` arrays, read with
``allow_pickle=False``), holding:

==========================  ==============================================================
key                         content
==========================  ==============================================================
``__meta__``                uint8 array: UTF-8 JSON, see below
``weights/<name>``          each parameter of the model (``Model.params`` names, its dtype)
``optimizer/<slot>.<name>`` the optimizer's arrays (Adam ``m`` / ``v``, SGD ``v``)
``history/<field>``         the bounded training history (``step``, ``loss``, ``grad_norm``,
                            ``grad_norm_max``, ``grad_norm_clipped``, ``clip_fraction``)
==========================  ==============================================================

The JSON metadata::

    {"format": "rnnscope-run", "version": 1,
     "model_config": {...ModelConfig fields...}, "train_config": {...TrainConfig fields...},
     "task": {"name": "agreement", "options": {...}} or null,
     "step": 1200,                       # optimizer steps taken
     "optimizer": {"kind": "adam", "step": 1200},
     "rng": {...numpy bit_generator.state...} or null,   # the trainer's data stream
     "history": {"capacity", "stride", "n", "total_steps", "count", "acc"},
     "info": {...free-form: "diverged", "interrupted", "saved_at"...}}

Saving is atomic: the file is written to a temporary file in the same
directory, flushed to disk, then renamed over the target, so a crash mid-save
leaves the previous file intact. A process killed mid-save (SIGKILL, power loss) may
leave its hidden temporary file, ``.<name>.npz.<random>.tmp``, beside the run; it is
never read, later saves use fresh names, and it can be deleted. Every problem found when loading (not a zip,
truncated, a CRC error, wrong format or version, a missing or ill-shaped array,
a non-finite weight) raises :class:`RunFileError` naming the file.

Resuming (``Run.make_trainer``) restores weights, optimizer state, history,
step count and the trainer's random stream, so training continues bit for bit
as if it had never stopped.
"""
from __future__ import annotations

import datetime as _dt
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .budget import param_shapes
from .config import ConfigError, ModelConfig, TrainConfig
from .fileio import FileProblem, check_regular, npz_size_problem, write_npz_atomic
from .fileio import jsonable as _jsonable
from .history import FIELDS as HISTORY_FIELDS
from .history import History
from .model import Model
from .optim import state_arrays

FORMAT = "rnnscope-run"
VERSION = 1
META_KEY = "__meta__"
#: Step counts above this are refused: float64 counts exactly up to here, and no run gets near it.
MAX_STEP = 2**53


class RunFileError(ValueError):
    """A run file cannot be read (or written): the message names the file and the problem."""

    def __init__(self, path, problem: str):
        self.path, self.problem = str(path), problem
        super().__init__(f"run file {str(path)!r}: {problem}")


@dataclass
class Run:
    """The contents of a run file, before anything is built from it."""
    model_config: ModelConfig
    train_config: TrainConfig
    weights: dict                          # name → array, Model.params names
    task_name: str | None = None
    task_options: dict = field(default_factory=dict)
    step: int = 0
    optimizer_step: int = 0
    optimizer_arrays: dict = field(default_factory=dict)   # "m.rnn.l0.fwd.Wx" → array
    rng_state: dict | None = None
    history: History = field(default_factory=History)
    info: dict = field(default_factory=dict)
    path: str | None = None

    # -- building things from a run ------------------------------------------
    def make_model(self) -> Model:
        model = Model(self.model_config, rng=0)
        model.load_state_dict(self.weights)
        return model

    def make_task(self):
        """The task the run was trained on, with its options (None if it had none)."""
        if self.task_name is None:
            return None
        from .tasks import base
        try:
            cls = base.TASKS[self.task_name]
        except KeyError:
            raise RunFileError(self.path, f"task {self.task_name!r} is not available "
                                          f"(known: {', '.join(sorted(base.TASKS)) or 'none'})") from None
        try:
            task = cls(**_coerce_options(self.task_options, cls.defaults))
        except (ValueError, TypeError, OverflowError) as e:    # the task judges its options
            raise RunFileError(self.path, f"task {self.task_name!r} option: {' '.join(str(e).split())}") from None
        task.run_seed = self.train_config.seed
        return task

    def make_trainer(self, source=None, display=None, train_config: TrainConfig | None = None):
        """A Trainer that continues this run exactly where it stopped.

        ``source`` defaults to the run's task. ``train_config`` may replace the
        saved one (e.g. a new learning rate); the optimizer kind must stay.
        """
        from .trainer import Trainer
        if source is None:
            source = self.make_task()
            if source is None:
                raise RunFileError(self.path, "the run has no task, so a data source must be given to resume it")
        cfg = train_config or self.train_config
        if cfg.optimizer != self.train_config.optimizer and self.optimizer_step:
            raise ConfigError(f"optimizer cannot change when resuming (the run used {self.train_config.optimizer!r}, "
                              f"got {cfg.optimizer!r})")
        trainer = Trainer(self.make_model(), source, cfg, display)
        restore_trainer(trainer, self)
        return trainer

    # -- saving -----------------------------------------------------------------
    def save(self, path) -> Path:
        try:
            return write_npz_atomic(path, self._arrays())
        except ValueError as e:
            raise RunFileError(path, str(e).split(": ", 1)[-1]) from None

    def _arrays(self) -> dict:
        meta = {
            "format": FORMAT, "version": VERSION,
            "model_config": self.model_config.to_dict(),
            "train_config": self.train_config.to_dict(),
            "task": None if self.task_name is None else {"name": self.task_name,
                                                          "options": _jsonable(self.task_options)},
            "step": int(self.step),
            "optimizer": {"kind": self.train_config.optimizer, "step": int(self.optimizer_step)},
            "rng": self.rng_state,
            "history": {k: v for k, v in self.history.to_state().items()
                        if k not in HISTORY_FIELDS and k != "steps"},
            "info": _jsonable(self.info),
        }
        arrays = {META_KEY: np.frombuffer(json.dumps(meta, allow_nan=False).encode("utf-8"), np.uint8)}
        for k, v in self.weights.items():
            arrays[f"weights/{k}"] = np.asarray(v)
        for k, v in self.optimizer_arrays.items():
            arrays[f"optimizer/{k}"] = np.asarray(v)
        h = self.history.arrays()
        for k, v in h.items():
            arrays[f"history/{k}"] = v
        return arrays


# -- trainer ↔ run --------------------------------------------------------------
def run_from_trainer(trainer, task=None, info: dict | None = None) -> Run:
    """Copy everything needed to resume ``trainer`` (between steps) into a Run."""
    opt = trainer.optimizer
    return Run(
        model_config=trainer.model.config,
        train_config=trainer.config,
        weights=trainer.model.state_dict(),
        task_name=None if task is None else task.name,
        task_options={} if task is None else dict(task.options),
        step=trainer.step,
        optimizer_step=int(opt.state["step"]),
        optimizer_arrays={k: v.copy() for k, v in state_arrays(opt).items()},
        rng_state=trainer.rng.bit_generator.state,
        history=History.from_state(trainer.history.to_state()),
        info=dict(info or {}),
    )


def restore_trainer(trainer, run: Run) -> None:
    """Put a run's optimizer state, step, history and random stream into ``trainer``
    (whose model already holds the run's weights)."""
    arrays = state_arrays(trainer.optimizer)
    if set(arrays) != set(run.optimizer_arrays):
        missing = sorted(set(arrays) - set(run.optimizer_arrays))
        extra = sorted(set(run.optimizer_arrays) - set(arrays))
        raise RunFileError(run.path, f"optimizer state does not match a {trainer.config.optimizer} optimizer: "
                                     f"missing {missing or 'none'}, unexpected {extra or 'none'}")
    for k, a in arrays.items():
        np.copyto(a, run.optimizer_arrays[k])
    trainer.optimizer.state["step"] = run.optimizer_step
    trainer.step = run.step
    trainer.history = History.from_state(run.history.to_state())
    if run.rng_state is not None:
        trainer.rng.bit_generator.state = run.rng_state


def save_run(path, trainer, task=None, info: dict | None = None) -> Path:
    """Save ``trainer`` (between steps) and the task it trains on, atomically."""
    info = {"saved_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"), **(info or {})}
    return run_from_trainer(trainer, task, info).save(path)


def save_model(path, model: Model, task=None, info: dict | None = None) -> Path:
    """Save weights only (no optimizer state or history): the run cannot resume exactly."""
    return Run(model.config, TrainConfig(), model.state_dict(),
               None if task is None else task.name, {} if task is None else dict(task.options),
               info=dict(info or {})).save(path)


def load_run(path) -> Run:
    """Read and check a run file. Raises RunFileError for anything wrong."""
    path = Path(path)
    try:
        check_regular(path)            # a FIFO would block, /dev/zero never ends
    except FileProblem as e:
        raise RunFileError(path, e.problem) from None
    try:
        is_zip = zipfile.is_zipfile(path)
    except OSError as e:
        raise RunFileError(path, f"cannot be read: {e.strerror or e}") from None
    if not is_zip:
        raise RunFileError(path, "not a complete .npz run file (truncated or not a zip archive)")
    try:
        problem = npz_size_problem(path)
        if problem:
            raise RunFileError(path, problem)
        with np.load(path, allow_pickle=False) as z:
            files = set(z.files)
            data = {k: z[k] for k in files}
    except RunFileError:
        raise
    except (zipfile.BadZipFile, EOFError) as e:
        raise RunFileError(path, f"not a complete run file (truncated or corrupted: {e})") from None
    except ValueError as e:
        raise RunFileError(path, f"not a run file ({e})") from None
    except OSError as e:
        raise RunFileError(path, f"cannot be read: {e.strerror or e}") from None
    except Exception as e:  # zlib.error, struct.error ... from a damaged zip
        raise RunFileError(path, f"corrupted ({type(e).__name__}: {e})") from None
    return _parse(path, data)


def _parse(path, data: dict) -> Run:
    def bad(problem):
        return RunFileError(path, problem)

    if META_KEY not in data:
        raise bad(f"not a run file: no {META_KEY!r} entry")
    raw = data[META_KEY]
    if raw.dtype != np.uint8 or raw.ndim != 1:
        raise bad(f"{META_KEY!r} must be a 1-D uint8 array of UTF-8 JSON, got {raw.dtype} {raw.shape}")
    try:
        meta = json.loads(raw.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise bad(f"metadata is not valid UTF-8 JSON ({e})") from None
    except RecursionError:
        raise bad("metadata nests too deeply to be a run file's") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise bad(f"not an RNN Scope run file (format {meta.get('format') if isinstance(meta, dict) else None!r})")
    version = meta.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise bad(f"format version must be an integer, got {version!r}")
    if version > VERSION:
        raise bad(f"written by a newer RNN Scope (format version {version}; this version reads up to {VERSION})")
    if version < 1:
        raise bad(f"unknown format version {version}")
    for key in ("model_config", "train_config", "step"):
        if key not in meta:
            raise bad(f"metadata has no {key!r}")
    try:
        model_config = ModelConfig.from_dict(meta["model_config"])
    except (ConfigError, TypeError) as e:
        raise bad(f"model_config: {e}") from None
    try:
        train_config = TrainConfig.from_dict(meta["train_config"])
    except (ConfigError, TypeError) as e:
        raise bad(f"train_config: {e}") from None
    step = meta["step"]
    if not _count(step):
        raise bad(f"step must be an integer in [0, 2^53], got {_short(step)}")

    groups = {"weights": {}, "optimizer": {}, "history": {}}
    for k, v in data.items():
        if k == META_KEY:
            continue
        head, _, name = k.partition("/")
        if head not in groups or not name:
            raise bad(f"unexpected entry {k!r}")
        groups[head][name] = v

    # weights: names, shapes and finiteness, against the model the config builds (shapes
    # computed, not allocated: the metadata may declare a model of hundreds of gigabytes)
    expected = param_shapes(model_config)
    weights = groups["weights"]
    _check_arrays(bad, "weight", weights, expected)

    # optimizer state: one array per parameter and slot, same shapes
    opt_meta = meta.get("optimizer") or {"kind": train_config.optimizer, "step": 0}
    if not isinstance(opt_meta, dict):
        raise bad(f"optimizer must be {{'kind': str, 'step': int}}, got {opt_meta!r}")
    opt_step = opt_meta.get("step", 0)
    if not _count(opt_step):
        raise bad(f"optimizer step must be an integer in [0, 2^53], got {_short(opt_step)}")
    opt_arrays = groups["optimizer"]
    if opt_arrays:
        slots = {"adam": ("m", "v"), "sgd": ("v",)}[train_config.optimizer]
        want = {f"{s}.{k}": shape for s in slots for k, shape in expected.items()}
        _check_arrays(bad, "optimizer array", opt_arrays, want)

    # history
    try:
        history = _history(meta.get("history"), groups["history"])
    except (KeyError, TypeError, ValueError, OverflowError) as e:
        raise bad(f"training history is damaged ({type(e).__name__}: {e})") from None

    rng_state = meta.get("rng")
    if rng_state is not None:
        try:
            np.random.default_rng().bit_generator.state = rng_state
        except Exception as e:
            raise bad(f"random generator state is invalid ({e})") from None

    task = meta.get("task")
    task_name, task_options = None, {}
    if task is not None:
        if not isinstance(task, dict) or not isinstance(task.get("name"), str) \
                or not isinstance(task.get("options", {}), dict):
            raise bad(f"task must be {{'name': str, 'options': {{...}}}}, got {task!r}")
        task_name, task_options = task["name"], dict(task.get("options", {}))
    info = meta.get("info") or {}
    return Run(model_config, train_config, weights, task_name, task_options, step, opt_step,
               opt_arrays, rng_state, history, info if isinstance(info, dict) else {}, str(path))


def _count(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= MAX_STEP


def _short(v) -> str:
    text = repr(v)
    return text if len(text) <= 40 else text[:37] + "..."


def _check_arrays(bad, what, arrays: dict, expected: dict):
    missing = sorted(set(expected) - set(arrays))
    extra = sorted(set(arrays) - set(expected))
    if missing or extra:
        raise bad(f"{what}s do not match the model: missing {missing or 'none'}, unexpected {extra or 'none'}")
    for k, shape in expected.items():
        a = arrays[k]
        if a.shape != shape:
            raise bad(f"{what} {k!r} has shape {a.shape}, the model needs {shape}")
        if not np.issubdtype(a.dtype, np.floating):
            raise bad(f"{what} {k!r} must hold floating-point numbers, got {a.dtype}")
        if not np.all(np.isfinite(a)):
            raise bad(f"{what} {k!r} holds NaN or Inf")


def _history(state, arrays) -> History:
    if state is None:
        return History()
    for k in ("capacity", "stride", "n", "total_steps", "count"):
        if not _count(state[k]):
            raise ValueError(f"history {k} must be an integer in [0, 2^53], got {_short(state[k])}")
    n, capacity, stride = state["n"], state["capacity"], state["stride"]
    if not (2 <= capacity <= 1 << 24 and capacity % 2 == 0):
        raise ValueError(f"history capacity must be an even number in [2, {1 << 24}], got {capacity}")
    if stride < 1 or stride & (stride - 1) or not 0 <= state["count"] < stride:
        raise ValueError(f"history stride must be a power of two >= 1 above its open count, "
                         f"got stride {stride}, count {state['count']}")
    full = dict(state)
    full["steps"] = arrays["step"] if n else np.zeros(0, np.int64)
    for f in HISTORY_FIELDS:
        full[f] = arrays[f] if n else np.zeros(0)
    for k in ("steps", *HISTORY_FIELDS):
        if np.shape(full[k]) != (n,):
            raise ValueError(f"history/{k} has shape {np.shape(full[k])}, expected ({n},)")
    if not 0 <= n <= int(state["capacity"]):
        raise ValueError(f"history holds {n} points but its capacity is {state['capacity']}")
    return History.from_state(full)


# -- JSON helpers ------------------------------------------------------------------
def _coerce_options(options: dict, defaults: dict) -> dict:
    """JSON turns tuples into lists: give options back the type of their default."""
    out = {}
    for k, v in options.items():
        d = defaults.get(k)
        if isinstance(d, tuple) and isinstance(v, list):
            v = tuple(v)
        out[k] = v
    return out
