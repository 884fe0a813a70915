"""``rnnscope tasks | train``: list the tasks; train one without a window (no Qt).

Before a step is taken, the output path is checked (writable, room for the run) and
the model's memory is estimated (refused up front if it cannot fit). If the save still
fails after training, the run is saved to a fallback file, named in the message, so
the work is never lost. See app/cli.py for the flags and exit codes."""
from __future__ import annotations

import json
import math
import signal
import sys
import threading
import time
from pathlib import Path

from .cli_common import EXIT_DIVERGED, EXIT_INTERRUPTED, EXIT_USAGE, UsageError, jsonable, one_line, print_metrics


# -- tasks ----------------------------------------------------------------------------
def cmd_tasks(args, rest) -> int:
    from rnncore.tasks import TASKS
    rows = []
    for name in sorted(TASKS):
        if name.startswith("_"):
            continue
        cls = TASKS[name]
        rows.append({"name": name, "title": cls.title, "shape": cls.shape, "lesson": cls.lesson,
                     "options": jsonable(cls.defaults), "model": jsonable(cls.model_defaults),
                     "train": jsonable(cls.train_defaults), "steps": cls.default_steps})
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    if not rows:
        print("no tasks are installed")
        return 0
    for r in rows:
        print(f"{r['name']:<12} {r['shape']:<16} {r['title']}")
        print(f"    {r['lesson']}")
        opts = "  ".join(f"--{k.replace('_', '-')} {_fmt_value(v)}" for k, v in r["options"].items()) or "none"
        print(f"    options: {opts}")
        print(f"    model:   {_kv(r['model']) or 'core defaults'}")
        print(f"    train:   {_kv(r['train'])}{'  ' if r['train'] else ''}steps={r['steps']}")
    return 0


def _kv(d):
    return "  ".join(f"{k}={_fmt_value(v)}" for k, v in d.items())


def _fmt_value(v):
    if v is None:
        return "none"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple)):
        return ",".join(map(str, v))
    return str(v)


# -- train --------------------------------------------------------------------------------
_MODEL_FLAGS = {"cell": "cell", "hidden": "hidden_size", "layers": "num_layers", "bidirectional": "bidirectional",
                "embedding": "embedding_dim", "activation": "activation", "dtype": "dtype"}


def cmd_train(args, rest) -> int:
    from rnncore.runs import load_run
    from rnncore.tasks import TASKS
    from rnncore.trainer import Trainer

    train_over = {}
    if args.lr is not None:
        train_over["lr"] = args.lr
    if args.batch is not None:
        train_over["batch_size"] = args.batch
    if args.clip_norm is not None:
        train_over.update(clip="norm", clip_threshold=args.clip_norm)
    elif args.clip_value is not None:
        train_over.update(clip="value", clip_threshold=args.clip_value)
    elif args.no_clip:
        train_over["clip"] = "none"

    out = args.out or args.resume
    if args.out is not None:            # before anything is loaded or trained
        check_out(args.out)
    if args.resume:
        fixed = [f"--{f}" for f in (*_MODEL_FLAGS, "task", "optimizer", "momentum", "seed")
                 if getattr(args, f) is not None]
        if args.option or rest:
            fixed.append("task options")
        if fixed:
            raise UsageError(f"{', '.join(fixed)} cannot be given with --resume: the run fixes them "
                             "(only --lr, --clip-norm/--clip-value/--no-clip and --batch may change)")
        run = load_run(args.resume)
        if args.out is None:
            check_out(args.resume)      # saved over itself: writable?
        task = run.make_task()
        if task is None:
            raise UsageError(f"--resume: {args.resume} has no task to train on")
        from dataclasses import replace
        tcfg = replace(run.train_config, **train_over)
        check_fits(run.model_config, tcfg, task, out)
        trainer = run.make_trainer(task, display=None, train_config=tcfg)
        out = Path(args.out or args.resume)
    else:
        if not args.task:
            raise UsageError("--task is required (or --resume RUN.npz); see 'rnnscope tasks'")
        if args.task not in TASKS:
            raise UsageError(f"--task must be one of {', '.join(n for n in sorted(TASKS) if not n.startswith('_'))}; "
                             f"got {args.task!r}")
        if not args.out:
            raise UsageError("--out RUN.npz is required")
        cls = TASKS[args.task]
        options = parse_task_options(cls, args.option, rest)
        try:
            task = cls(**options)
        except ValueError as e:          # the task judges its own options (ConfigError, DataFileError ...)
            raise UsageError(f"task {args.task!r} option: {one_line(e)}") from None
        model_over = {field: getattr(args, flag) for flag, field in _MODEL_FLAGS.items()
                      if getattr(args, flag) is not None}
        for flag in ("optimizer", "momentum", "seed"):
            if getattr(args, flag) is not None:
                train_over[flag] = getattr(args, flag)
        mcfg = task.model_config(**model_over)
        tcfg = task.train_config(**train_over)
        check_fits(mcfg, tcfg, task, out)
        trainer = Trainer.create(mcfg, tcfg, task)
        out = Path(args.out)
    if args.steps is not None:
        steps = args.steps
    elif args.resume and isinstance(run.info.get("target_steps"), int):
        steps = max(0, run.info["target_steps"] - trainer.step)     # finish what was asked for
    else:
        steps = task.default_steps
    target = trainer.step + steps

    with _Interrupt() as stop:          # a Ctrl+C while saving is held until the file is complete
        result = _train_loop(trainer, steps, stop, quiet=args.quiet)
        info = {"command": "train", "interrupted": result["interrupted"], "diverged": result["diverged"],
                "target_steps": target}
        saved = _save(out, trainer, task, info)
    h = trainer.history.arrays()
    last = f", loss {h['loss'][-1]:.4g}" if len(h["loss"]) else ""
    speed = result["steps"] / result["seconds"] if result["seconds"] > 0 else 0.0
    summary = (f"step {trainer.step}{last} ({result['steps']} steps in {result['seconds']:.1f} s, "
               f"{speed:.0f} steps/s); saved {out}")
    if saved != out:
        print(f"rnnscope train: error: could not save the run to {out} ({saved[1]}); "
              f"the trained run (step {trainer.step}) was saved to {saved[0]} instead", file=sys.stderr)
        return EXIT_USAGE
    if result["diverged"]:
        print(f"{result['diverged']}", file=sys.stderr)
        print(f"diverged: saved the last good weights (step {trainer.step}) to {out}", file=sys.stderr)
        return EXIT_DIVERGED
    if result["interrupted"]:
        print(f"interrupted: {summary}", file=sys.stderr)
        return EXIT_INTERRUPTED
    print(summary)
    if args.eval:
        print_metrics(task.evaluate(trainer.model))
    return 0


def check_out(out) -> None:
    """--out must be a writable .npz path: found before training, not after."""
    from rnncore.fileio import FileProblem, check_output
    if Path(out).suffix != ".npz":
        raise UsageError(f"--out must end in .npz, got {str(out)!r}")
    try:
        check_output(out)
    except FileProblem as e:
        raise UsageError(f"--out: {e}") from None


def check_fits(mcfg, tcfg, task, out) -> None:
    """Refuse, with the estimate, a model whose training cannot fit in memory, and an
    output directory without room for its run file."""
    import numpy as np
    from rnncore.budget import fit_problem, run_file_bytes
    from rnncore.fileio import FileProblem, check_output
    try:                                 # a small batch tells the sequence length
        b = task.batch(np.random.default_rng(0), 2)
        steps = int(np.shape(b.x)[1]) if np.ndim(b.x) >= 2 and mcfg.shape not in ("one-to-one", "one-to-many") else 1
    except Exception:
        steps = 1
    problem = fit_problem(mcfg, tcfg.batch_size, steps)
    if problem:
        raise UsageError(problem)
    if out is not None:
        try:
            check_output(out, run_file_bytes(mcfg))
        except FileProblem as e:
            raise UsageError(f"--out: {e}") from None


def _save(out: Path, trainer, task, info):
    """Save to ``out``; if that fails, to a fallback file beside it, in the home directory
    or the temporary directory, so the trained state is never lost.
    → ``out``, or (the fallback path, why ``out`` failed)."""
    import os
    import tempfile
    from rnncore.runs import save_run
    try:
        save_run(out, trainer, task, info=info)
        return out
    except (OSError, ValueError) as e:
        why = e.strerror if isinstance(e, OSError) and e.strerror else one_line(e)
    name = f"{out.stem}.rescued-{time.strftime('%Y%m%d-%H%M%S')}.npz"
    for directory in (out.parent, Path.home(), Path(tempfile.gettempdir())):
        try:
            if os.access(directory, os.W_OK):
                return save_run(directory / name, trainer, task, info=info), why
        except (OSError, ValueError):
            continue
    raise UsageError(f"--out: could not save the run to {out} ({why}), nor to a fallback file")


class _Interrupt:
    """The first Ctrl+C asks the loop to stop after the current step (so the weights and
    optimizer state are never half-updated) and the run is saved; a second one stops at
    once without saving (the previous run file, if any, stays intact: saves are atomic)."""

    def __init__(self):
        self.requested = False
        self._old = None

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            self._old = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum, frame):
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def __exit__(self, *exc):
        if self._old is not None:
            signal.signal(signal.SIGINT, self._old)
        return False


def _train_loop(trainer, steps, stop: _Interrupt, quiet=False) -> dict:
    """Train up to ``steps`` steps through rnncore.session (the loop the GUI drives too);
    stops early when ``stop.requested`` or on divergence."""
    from tqdm import tqdm
    from rnncore.session import Session, train
    done, diverged = 0, None
    t0 = time.perf_counter()
    session = Session(lambda: (trainer, None), traces=False, weights=False)
    with tqdm(total=trainer.step + steps, initial=trainer.step, unit="step", disable=quiet, file=sys.stderr,
              dynamic_ncols=True, mininterval=0.2) as bar:
        for p in train(session, steps, lambda: stop.requested):
            done += p.n
            bar.update(p.n)
            if p.n:
                bar.set_postfix(loss=f"{p.loss[-1]:.4g}", refresh=False)
            diverged = diverged or p.diverged
    return {"steps": done, "seconds": time.perf_counter() - t0, "diverged": diverged, "interrupted": stop.requested}


def parse_task_options(cls, option_args, rest) -> dict:
    """Task options from --option key=value and from leftover --key value flags, typed by
    the task's defaults (int, float, bool, text; tuples as 'a-b' or 'a,b')."""
    names = {k.replace("_", "-"): k for k in cls.defaults}
    allowed = ", ".join(f"--{k}" for k in names) or "none"
    pairs = []
    for item in option_args:
        key, eq, value = item.partition("=")
        if not eq or not key.strip():
            raise UsageError(f"--option must be KEY=VALUE, got {item!r}")
        pairs.append((key.strip(), value, f"--option {key.strip()}"))
    i = 0
    while i < len(rest):
        tok = rest[i]
        if not tok.startswith("--") or tok == "--":
            raise UsageError(f"unexpected argument {tok!r} (task options are --name value)")
        key, eq, value = tok[2:].partition("=")
        base = key[3:] if key.startswith("no-") else key
        is_bool = base.replace("_", "-") in names and isinstance(cls.defaults[names[base.replace("_", "-")]], bool)
        if not eq:
            if is_bool and (i + 1 >= len(rest) or rest[i + 1].startswith("--")):
                value = "false" if key.startswith("no-") else "true"
                key = base
            elif i + 1 < len(rest):
                i += 1
                value = rest[i]
            else:
                raise UsageError(f"--{key} needs a value")
        pairs.append((key, value, f"--{key}"))
        i += 1
    options = {}
    for key, value, shown in pairs:
        name = names.get(key.replace("_", "-"))
        if name is None:
            raise UsageError(f"unknown option {shown} for task {cls.name!r} (allowed: {allowed})")
        options[name] = _typed(shown, value, cls.defaults[name])
    return options


def _typed(shown, text, default):
    try:
        if isinstance(default, bool):
            low = text.strip().lower()
            if low in ("1", "true", "yes", "on"):
                return True
            if low in ("0", "false", "no", "off"):
                return False
            raise ValueError
        if isinstance(default, int):
            return int(text)
        if isinstance(default, float):
            v = float(text)
            if not math.isfinite(v):
                raise ValueError
            return v
        if isinstance(default, (tuple, list)):
            parts = [p for p in text.replace(",", " ").replace("-", " ").split()]
            kind = type(default[0]) if default else int
            vals = [kind(p) for p in parts]
            if default and len(vals) == 1 and len(default) == 2:
                vals = vals * 2
            return type(default)(vals)
    except ValueError:
        what = ("true or false" if isinstance(default, bool) else "an integer" if isinstance(default, int)
                else "a number" if isinstance(default, float) else "values like 4-12")
        raise UsageError(f"{shown} must be {what}, got {text!r}") from None
    if default is None and text.strip().lower() in ("none", ""):
        return None
    return text


