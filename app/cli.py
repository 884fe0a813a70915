"""The ``rnnscope`` command: with no sub-command (or only GUI flags) the window opens.

Sub-commands train, evaluate, sample, score and trace without a window; they
import no Qt. Every bad flag or value prints one line naming it and exits with
code 2, without a traceback (set RNNSCOPE_DEBUG=1 to see one).

Exit codes: 0 done; 1 training diverged (the last good weights were saved);
2 a bad flag, value or file; 130 training interrupted by Ctrl+C (what was
trained was saved).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import signal
import sys
import threading
import time
from pathlib import Path

COMMANDS = ("tasks", "train", "eval", "sample", "score", "trace")
EXIT_DIVERGED, EXIT_USAGE, EXIT_INTERRUPTED = 1, 2, 130

TRACE_KEYS = """\
keys of the trace file (per-step arrays are time-major, (T, N, H), like the core):
  {part}.l{l}.{fwd|bwd}.{key}   part 'rnn' (or 'enc' / 'dec' for encoder-decoder),
                                layer l, direction fwd (→) or bwd (←), key: the cell's
                                gates gamma_u (Γu), gamma_r (Γr), gamma_f (Γf),
                                gamma_o (Γo), c_tilde (c̃) (the vanilla RNN has none),
                                c (c<t>; = a<t> for RNN and GRU), a (a<t>), and da
                                (∂L/∂a<t>, only when the input has targets: --run with
                                a text FILE)
  logits, outputs               (T_y, N, O) before / after the output function
  loss                          (T_y, N) L<t>(i), when the input has targets
  lengths                       (N,) T_x(i)
  input                         the input x as the model read it (ids or floats, batch-first)
  tokens                        (N, T) the input tokens as text (--run with a text FILE)
with --backward G.npy (G has the shape of 'outputs' batch-first, (N, T_y, O), or (N, O)
for many-to-one), gradients of sum(G · outputs):
  grad.{weight}                 every weight, named as in the weights file: PyTorch's
                                names for --weights (weight_ih_l0, ...), the core's for
                                --run (rnn.l0.fwd.Wx, head.W, ...)
  grad.input                    ∂/∂x for float inputs (absent for token inputs)
--weights models start from zero states (PyTorch's default h0 = c0 = 0); without a
Linear head (fc.* / head.*) in the file, outputs are the module's output. The gates
use the notes' names: an nn.LSTM's i, f, g, o are gamma_u, gamma_f, c_tilde, gamma_o; an
nn.GRU's r, z, n are gamma_r, 1 - gamma_u, c_tilde (rnncore/naming.py).
"""


class UsageError(Exception):
    """A bad flag or value found after argparse (printed as one line, exit 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports errors on one line and never exits the interpreter itself."""

    def error(self, message):
        raise UsageError(f"{message} (see {self.prog} --help)")

    def exit(self, status=0, message=None):
        if message:
            print(message, end="", file=sys.stderr)
        raise SystemExit(status)


# -- argument types: the allowed range goes into the message ----------------------------
def _int_in(lo, hi=None):
    def parse(text):
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be an integer{_range(lo, hi)}, got {text!r}") from None
        if v < lo or (hi is not None and v > hi):
            raise argparse.ArgumentTypeError(f"must be an integer{_range(lo, hi)}, got {v}")
        return v
    return parse


def _float_in(lo, hi=None, lo_open=True):
    def parse(text):
        try:
            v = float(text)
        except ValueError:
            v = float("nan")
        ok = math.isfinite(v) and (v > lo if lo_open else v >= lo) and (hi is None or v <= hi)
        if not ok:
            want = f"> {lo}" if lo_open else f">= {lo}"
            raise argparse.ArgumentTypeError(
                f"must be a number {want}{'' if hi is None else f' and <= {hi}'}, got {text!r}")
        return v
    return parse


def _range(lo, hi):
    return f" >= {lo}" if hi is None else f" in [{lo}, {hi}]"


# -- the parser ---------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    from rnncore.config import CELLS, DTYPES, MAX_LAYERS, MAX_SIZE, OPTIMIZERS
    p = _Parser(prog="rnnscope", allow_abbrev=False,
                description="Watch a recurrent network learn. Without a command the window opens "
                            "(GUI flags such as --task T --steps N --screenshot out.png go to the window).",
                epilog="exit codes: 0 done, 1 training diverged (last good weights saved), 2 bad flag, value "
                       "or file, 130 interrupted by Ctrl+C (what was trained was saved)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    t = sub.add_parser("tasks", help="list the toy tasks with their shapes, lessons and defaults", allow_abbrev=False)
    t.add_argument("--json", action="store_true", help="print JSON instead of text")

    tr = sub.add_parser(
        "train", allow_abbrev=False, help="train a model on a task and save the run (.npz)",
        description="Train on a task with a progress bar, then save the run. Ctrl+C saves what was trained. "
                    "Task options (see 'rnnscope tasks') are given as --option key=value or as their own flags, "
                    "e.g. --distance 4-12 --attractors 0-3 (underscores may be written as dashes); an option "
                    "whose name is also a flag here (e.g. seed) only as --option.",
        epilog="with --resume, --steps counts the steps added (default: up to the step count the run was "
               "started for, so an interrupted run finishes); the model, task and optimizer come from the run "
               "(--lr, --clip-norm/--clip-value/--no-clip and --batch may change; training is then no longer "
               "the same as an uninterrupted run). Exit codes: 0 done, 1 diverged, 2 bad flag, 130 Ctrl+C.")
    tr.add_argument("--task", help="task name (see 'rnnscope tasks')")
    tr.add_argument("--cell", choices=CELLS, help="recurrent cell (default: the task's)")
    tr.add_argument("--hidden", type=_int_in(1, MAX_SIZE), metavar="N", help=f"hidden units H, 1..{MAX_SIZE}")
    tr.add_argument("--layers", type=_int_in(1, MAX_LAYERS), metavar="N", help=f"stacked layers, 1..{MAX_LAYERS}")
    tr.add_argument("--bidirectional", action="store_true", default=None, help="bidirectional layers (→a and ←a)")
    tr.add_argument("--embedding", type=_int_in(0, MAX_SIZE), metavar="N",
                    help="embedding size for token inputs (0: one-hot)")
    tr.add_argument("--activation", choices=("tanh", "sigmoid", "relu"), help="activation of the vanilla RNN")
    tr.add_argument("--dtype", choices=DTYPES, help="float32 (fast) or float64")
    tr.add_argument("--steps", type=_int_in(0, 10**9), metavar="N", help="optimizer steps (default: the task's)")
    tr.add_argument("--lr", type=_float_in(0.0, 1e3), metavar="X", help="learning rate, > 0")
    tr.add_argument("--optimizer", choices=OPTIMIZERS)
    tr.add_argument("--momentum", type=_float_in(0.0, 0.999, lo_open=False), metavar="X", help="SGD momentum, 0..0.999")
    clip = tr.add_mutually_exclusive_group()
    clip.add_argument("--clip-norm", type=_float_in(0.0, 1e12), metavar="X", help="clip the global gradient norm at X")
    clip.add_argument("--clip-value", type=_float_in(0.0, 1e12), metavar="X", help="clamp every gradient entry to ±X")
    clip.add_argument("--no-clip", action="store_true", default=None, help="no gradient clipping")
    tr.add_argument("--seed", type=_int_in(0, 2**63 - 1), metavar="N", help="seed of weights, data and sampling")
    tr.add_argument("--batch", type=_int_in(1, 65536), metavar="N", help="sequences per step, 1..65536")
    tr.add_argument("--option", action="append", default=[], metavar="KEY=VALUE", help="a task option (repeatable)")
    tr.add_argument("--out", metavar="RUN.npz", help="where to save the run (default with --resume: that file)")
    tr.add_argument("--resume", metavar="RUN.npz", help="continue a saved run exactly where it stopped")
    tr.add_argument("--eval", action="store_true", help="print the task's metrics after training")
    tr.add_argument("--quiet", action="store_true", help="no progress bar")

    ev = sub.add_parser("eval", allow_abbrev=False, help="the task's metrics, or predictions for your sequences",
                        description="Without --input: the task's metrics on held-out data, as tables. With --input "
                                    "FILE: the model's prediction for each line of FILE (tokens as the task "
                                    "reads them; unknown tokens are listed in the error).")
    ev.add_argument("--run", required=True, metavar="RUN.npz")
    ev.add_argument("--input", metavar="FILE", help="sequences, one per line")
    ev.add_argument("--json", action="store_true", help="print JSON")
    ev.add_argument("--seed", type=_int_in(0, 2**63 - 1), metavar="N", help="seed of the evaluation data")

    sa = sub.add_parser("sample", allow_abbrev=False, help="sample sequences from a trained model",
                        description="Sample until EOS or a length limit (tasks with sampling: language models, "
                                    "melodies).")
    sa.add_argument("--run", required=True, metavar="RUN.npz")
    sa.add_argument("--temperature", type=_float_in(0.0, 100.0, lo_open=False), default=1.0, metavar="X",
                    help="0: argmax; 1: the model's distribution; >1 flatter (0..100, default 1)")
    sa.add_argument("-n", type=_int_in(1, 10000), default=5, metavar="N", help="how many samples, 1..10000 (default 5)")
    sa.add_argument("--max-len", type=_int_in(1, 100000), metavar="N", help="length limit in tokens")
    sa.add_argument("--prefix", default="", help="text fed in before sampling starts")
    sa.add_argument("--seed", type=_int_in(0, 2**63 - 1), metavar="N", help="seed (default: a fresh one each time)")
    sa.add_argument("--json", action="store_true")

    sc = sub.add_parser("score", allow_abbrev=False, help="log probability of a sentence, per token and total",
                        description="log P(sentence) under a language model (natural logs), per token "
                                    "(EOS included) and total.")
    sc.add_argument("--run", required=True, metavar="RUN.npz")
    sc.add_argument("text", nargs="+", help="the sentence(s), each one argument")
    sc.add_argument("--json", action="store_true")

    tc = sub.add_parser("trace", allow_abbrev=False, formatter_class=argparse.RawDescriptionHelpFormatter,
                        help="export every internal of a forward pass (.npz)",
                        description="Run a forward pass and save every internal to an .npz.\n\n"
                                    "--input FILE: for --run, a text file (one sequence per line, read by the task) "
                                    "or an .npy/.npz array;\nfor --weights, an .npy array (N, T, D) or (T, D), or "
                                    "an .npz with 'x' (and optionally 'lengths').\n\n" + TRACE_KEYS)
    src = tc.add_mutually_exclusive_group(required=True)
    src.add_argument("--run", metavar="RUN.npz", help="a run file")
    src.add_argument("--weights", metavar="FILE", help="a PyTorch state_dict (.safetensors or .npz, PyTorch's names)")
    tc.add_argument("--nonlinearity", choices=("tanh", "relu"), help="nn.RNN's nonlinearity (not stored in the file)")
    tc.add_argument("--input", required=True, metavar="FILE")
    tc.add_argument("--out", required=True, metavar="TRACE.npz")
    tc.add_argument("--backward", metavar="G.npy", help="also export the gradients of sum(G · outputs)")
    return p


# -- entry point -----------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
        from .gui import run_gui
        return run_gui(argv)
    command = argv[0]
    prog = f"rnnscope {command}" if command in COMMANDS else "rnnscope"
    try:
        if command not in COMMANDS and not command.startswith("-"):
            raise UsageError(f"unknown command {command!r} (choose from {', '.join(COMMANDS)}; "
                             "without a command the window opens)")
        args, rest = build_parser().parse_known_args(argv)
        if rest and args.command != "train":
            raise UsageError(f"unrecognized arguments: {' '.join(rest)} (see {prog} --help)")
        return COMMAND_FUNCS[args.command](args, rest)
    except KeyboardInterrupt:           # Ctrl+C before training started (or during a save)
        print(f"{prog}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except SystemExit as e:             # --help, or argparse giving up
        return e.code if isinstance(e.code, int) else (0 if e.code is None else EXIT_USAGE)
    except Exception as e:
        if os.environ.get("RNNSCOPE_DEBUG"):
            raise
        if not _expected(e):
            raise
        print(f"{prog}: error: {_one_line(e)}", file=sys.stderr)
        return EXIT_USAGE


def _expected(e: Exception) -> bool:
    """Errors about the user's flags, values or files (ConfigError, InputError, RunFileError,
    TorchImportError, DataFileError are ValueErrors), reported in one line."""
    return isinstance(e, (UsageError, ValueError, OSError))


def _one_line(e: Exception) -> str:
    if isinstance(e, OSError) and e.filename is not None and not isinstance(e, FileExistsError):
        msg = f"{e.filename}: {e.strerror or e}"
    elif isinstance(e, UnicodeDecodeError):
        msg = f"not valid UTF-8 text ({e.reason} at byte {e.start})"
    else:
        msg = str(e) or type(e).__name__
    return " ".join(msg.split())


# -- tasks ----------------------------------------------------------------------------
def cmd_tasks(args, rest) -> int:
    from rnncore.tasks import TASKS
    rows = []
    for name in sorted(TASKS):
        if name.startswith("_"):
            continue
        cls = TASKS[name]
        rows.append({"name": name, "title": cls.title, "shape": cls.shape, "lesson": cls.lesson,
                     "options": _jsonable(cls.defaults), "model": _jsonable(cls.model_defaults),
                     "train": _jsonable(cls.train_defaults), "steps": cls.default_steps})
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
    from rnncore.runs import load_run, save_run
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

    if args.resume:
        fixed = [f"--{f}" for f in (*_MODEL_FLAGS, "task", "optimizer", "momentum", "seed")
                 if getattr(args, f) is not None]
        if args.option or rest:
            fixed.append("task options")
        if fixed:
            raise UsageError(f"{', '.join(fixed)} cannot be given with --resume: the run fixes them "
                             "(only --lr, --clip-norm/--clip-value/--no-clip and --batch may change)")
        run = load_run(args.resume)
        task = run.make_task()
        if task is None:
            raise UsageError(f"--resume: {args.resume} has no task to train on")
        from dataclasses import replace
        tcfg = replace(run.train_config, **train_over)
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
            raise UsageError(f"task {args.task!r} option: {_one_line(e)}") from None
        model_over = {field: getattr(args, flag) for flag, field in _MODEL_FLAGS.items()
                      if getattr(args, flag) is not None}
        for flag in ("optimizer", "momentum", "seed"):
            if getattr(args, flag) is not None:
                train_over[flag] = getattr(args, flag)
        mcfg = task.model_config(**model_over)
        tcfg = task.train_config(**train_over)
        trainer = Trainer.create(mcfg, tcfg, task)
        out = Path(args.out)
    if out.suffix != ".npz":
        raise UsageError(f"--out must end in .npz, got {str(out)!r}")
    if not (out.parent if str(out.parent) else Path(".")).is_dir():
        raise UsageError(f"--out: directory {str(out.parent)!r} does not exist")
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
        save_run(out, trainer, task, info=info)
    h = trainer.history.arrays()
    last = f", loss {h['loss'][-1]:.4g}" if len(h["loss"]) else ""
    speed = result["steps"] / result["seconds"] if result["seconds"] > 0 else 0.0
    summary = (f"step {trainer.step}{last} ({result['steps']} steps in {result['seconds']:.1f} s, "
               f"{speed:.0f} steps/s); saved {out}")
    if result["diverged"]:
        print(f"{result['diverged']}", file=sys.stderr)
        print(f"diverged: saved the last good weights (step {trainer.step}) to {out}", file=sys.stderr)
        return EXIT_DIVERGED
    if result["interrupted"]:
        print(f"interrupted: {summary}", file=sys.stderr)
        return EXIT_INTERRUPTED
    print(summary)
    if args.eval:
        _print_metrics(task.evaluate(trainer.model))
    return 0


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
    """Train up to ``steps`` steps; stops early when ``stop.requested`` or on divergence."""
    from tqdm import tqdm
    done, diverged = 0, None
    t0 = time.perf_counter()
    with tqdm(total=trainer.step + steps, initial=trainer.step, unit="step", disable=quiet, file=sys.stderr,
              dynamic_ncols=True, mininterval=0.2) as bar:
        while done < steps and not stop.requested:
            snap = trainer.train_step()
            if not snap.ok:
                diverged = snap.diverged
                break
            done += 1
            bar.update(1)
            if done == 1 or done % 10 == 0 or done == steps:
                bar.set_postfix(loss=f"{snap.loss:.4g}", refresh=False)
    return {"steps": done, "seconds": time.perf_counter() - t0, "diverged": diverged, "interrupted": stop.requested}


def parse_task_options(cls, option_args, rest) -> dict:
    """Task options from --option key=value and from leftover --key value flags, typed by
    the task's defaults (int, float, bool, text; tuples as 'a-b' or 'a,b')."""
    names = {k.replace("_", "-"): k for k in cls.defaults}
    allowed = ", ".join(f"--{k}" for k in names) or "none"
    pairs = []
    for item in option_args:
        key, eq, value = item.partition("=")
        if not eq:
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


# -- eval ------------------------------------------------------------------------------------
def _load(run_path):
    from rnncore.runs import load_run
    run = load_run(run_path)
    task = run.make_task()
    return run, task, run.make_model()


def cmd_eval(args, rest) -> int:
    import numpy as np
    run, task, model = _load(args.run)
    if task is None:
        raise UsageError(f"--run: {args.run} has no task, so there is nothing to evaluate it on")
    if args.input is None:
        rng = None if args.seed is None else np.random.default_rng(args.seed)
        metrics = task.evaluate(model, rng)
        if args.json:
            print(json.dumps(_jsonable(metrics), indent=2))
        else:
            _print_metrics(metrics)
        return 0
    results = []
    for i, line in _read_lines(args.input):
        try:
            results.append(predict_line(task, model, line))
        except ValueError as e:
            raise UsageError(f"--input: {args.input}, line {i}: {_one_line(e)}") from None
    if args.json:
        print(json.dumps(_jsonable(results), indent=2))
    else:
        for r in results:
            print(f"{r['input']}\n    → {_fmt_pred(r['prediction'])}"
                  + (f"   ({r['detail']})" if r.get("detail") else ""))
    return 0


def _read_lines(path) -> list[tuple[int, str]]:
    """(line number, text) of each non-blank line of a UTF-8 text file."""
    p = Path(path)
    if not p.is_file():
        raise UsageError(f"--input: {path}: no such file")
    data = p.read_bytes()
    if b"\0" in data[:4096]:
        raise UsageError(f"--input: {path} is a binary file, expected text (one sequence per line)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise UsageError(f"--input: {path} is not valid UTF-8 (byte {e.start})") from None
    lines = [(i, ln.strip()) for i, ln in enumerate(text.splitlines(), 1) if ln.strip()]   # blank lines skipped
    if not lines:
        raise UsageError(f"--input: {path} has no sequences (one per line expected)")
    return lines


def predict_line(task, model, line) -> dict:
    """The model's prediction for one typed sequence, put in the layout of the task's own
    targets (class ids, 0/1 decisions or values) so that ``task.describe`` can show it."""
    import numpy as np
    from rnncore.data import Batch
    from rnncore.model import output_activation
    c = model.config
    b = task.encode(line)
    y_true = np.asarray(b.y)
    y_lengths, detail = b.y_lengths, None
    if c.shape in ("one-to-many", "encoder-decoder"):
        from rnncore.generate import greedy
        pred_y = greedy(model, b.x, b.x_lengths)                        # (1, T_y) ids
        y_lengths = np.array([pred_y.shape[1]])
    else:
        p = output_activation(c.output, model.forward(b.x, b.x_lengths).logits)[:, 0]   # (T_y, O)
        if c.shape == "many-to-many" and b.x_lengths is not None:
            p = p[:int(b.x_lengths[0])]
        if c.output == "softmax":
            dec = p.argmax(-1)
            detail = "p = " + " ".join(f"{v:.2f}" for v in p.max(-1))
        elif c.output == "sigmoid":
            dec = (p > 0.5).astype(float)
            detail = "P(y=1) = " + " ".join(f"{v:.2f}" for v in p.ravel())
        else:
            dec = p
        try:
            if c.shape in ("many-to-one", "one-to-one"):
                pred_y = dec.reshape(y_true.shape)
            else:
                dec = dec.reshape(len(dec), *y_true.shape[2:])
                pred_y = np.zeros((1, max(y_true.shape[1], len(dec)), *dec.shape[1:]), dec.dtype)
                pred_y[0, :len(dec)] = dec
            pred_y = pred_y.astype(y_true.dtype)
        except ValueError:               # targets laid out differently from the outputs: show raw values
            return {"input": line, "tokens": None, "prediction": np.asarray(dec).tolist(), "detail": detail}
    try:
        shown = task.describe(Batch(b.x, pred_y, b.x_lengths, y_lengths), 0)
        return {"input": line, "tokens": shown.get("x"), "prediction": shown.get("y"), "detail": detail}
    except Exception:                    # a task that cannot describe this prediction: show raw values
        return {"input": line, "tokens": None, "prediction": np.asarray(pred_y).tolist(), "detail": detail}


def _fmt_pred(v):
    if isinstance(v, (list, tuple)):
        return " ".join(map(str, v))
    return str(v)


def _print_metrics(metrics: dict) -> None:
    """Scalars as one table; each dict as its own table (a dict of dicts as a grid); lists line by line."""
    scalars = [(k, v) for k, v in metrics.items() if not isinstance(v, (dict, list, tuple))]
    if scalars:
        w = max(len(str(k)) for k, _ in scalars)
        for k, v in scalars:
            print(f"{str(k):<{w}}  {_fmt_metric(v)}")
    for k, v in metrics.items():
        if isinstance(v, dict):
            print(f"\n{k}")
            if v and all(isinstance(x, dict) for x in v.values()):
                cols = list(dict.fromkeys(c for x in v.values() for c in x))
                rows = [[str(r)] + [_fmt_metric(x.get(c, "")) for c in cols] for r, x in v.items()]
                header = [""] + [str(c) for c in cols]
            else:
                rows = [[str(r), _fmt_metric(x)] for r, x in v.items()]
                header = None
            _table(rows, header)
        elif isinstance(v, (list, tuple)):
            if all(not isinstance(x, (dict, list, tuple)) for x in v) and all(isinstance(x, (int, float)) for x in v):
                print(f"\n{k}: {', '.join(_fmt_metric(x) for x in v)}")
            else:
                print(f"\n{k}")
                for x in v:
                    print(f"  {x}")


def _table(rows, header=None):
    allrows = ([header] if header else []) + rows
    widths = [max(len(r[i]) for r in allrows) for i in range(len(allrows[0]))]
    for r in allrows:
        print("  " + "  ".join(c.rjust(w) if j else c.ljust(w) for j, (c, w) in enumerate(zip(r, widths))))


def _fmt_metric(v):
    if isinstance(v, bool) or v is None:
        return str(v).lower() if v is not None else "-"
    if isinstance(v, float):
        return f"{v:.4g}"
    if hasattr(v, "item"):
        return _fmt_metric(v.item())
    return str(v)


# -- sample and score ----------------------------------------------------------------------
def cmd_sample(args, rest) -> int:
    import numpy as np
    run, task, model = _load(args.run)
    if task is None or not callable(getattr(task, "sample", None)):
        name = "the run has no task" if task is None else f"task {task.name!r} cannot sample"
        raise UsageError(f"--run: {name} (sampling needs a language model or melody run)")
    kw = {}
    if args.max_len is not None:
        kw["max_len"] = args.max_len
    if args.prefix:
        kw["prefix"] = args.prefix
    rng = np.random.default_rng(args.seed)
    try:
        samples = task.sample(model, rng, temperature=args.temperature, n=args.n, **kw)
    except TypeError as e:
        if kw and "unexpected keyword" in str(e):
            raise UsageError(f"task {task.name!r} does not take {', '.join('--' + k.replace('_', '-') for k in kw)}") \
                from None
        raise
    if args.json:
        print(json.dumps(_jsonable(samples), indent=2))
    else:
        for s in samples:
            print(_fmt_pred(s))
    return 0


def cmd_score(args, rest) -> int:
    run, task, model = _load(args.run)
    if task is None or not callable(getattr(task, "score", None)):
        name = "the run has no task" if task is None else f"task {task.name!r} cannot score sentences"
        raise UsageError(f"--run: {name} (scoring needs a language model run)")
    results = [{"text": t, **task.score(model, t)} for t in args.text]
    if args.json:
        print(json.dumps(_jsonable(results), indent=2))
        return 0
    for r in results:
        print(r["text"])
        rows = [[repr(tok) if not str(tok).strip() else str(tok), f"{lp:.4f}"]
                for tok, lp in zip(r["tokens"], r["log_probs"])]
        _table(rows, ["token", "log p"])
        print(f"  total log P = {r['total']:.4f}  (P = {math.exp(r['total']):.3g})")
    return 0


# -- trace --------------------------------------------------------------------------------
def cmd_trace(args, rest) -> int:
    import numpy as np
    from rnncore.inputs import InputError
    from rnncore.runs import write_npz_atomic
    from rnncore.torch_import import load_torch_weights, outputs_backward

    out = Path(args.out)
    if out.suffix != ".npz":
        raise UsageError(f"--out must end in .npz, got {str(out)!r}")
    if not (out.parent if str(out.parent) else Path(".")).is_dir():
        raise UsageError(f"--out: directory {str(out.parent)!r} does not exist")
    if not Path(args.input).is_file():
        raise UsageError(f"--input: {args.input}: no such file")
    G = None
    if args.backward:
        G = _load_array(args.backward, "--backward")
    task, imported = None, None
    if args.weights:
        imported = load_torch_weights(args.weights, nonlinearity=args.nonlinearity)
        model = imported.model
    else:
        if args.nonlinearity:
            raise UsageError("--nonlinearity applies to --weights only (a run stores its activation)")
        _, task, model = _load(args.run)
    batch, tokens = _trace_input(args.input, model, task)
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            tr = model.trace(batch, with_gradients=batch.y is not None)
    except InputError as e:
        raise UsageError(f"--input: {args.input}: {e}") from None
    arrays = {k: np.asarray(v) for k, v in tr.flat().items()}
    arrays["input"] = np.asarray(batch.x)
    if tokens is not None:
        arrays["tokens"] = tokens
    if G is not None:
        try:
            _, grads, dx = outputs_backward(model, batch.x, G, batch.x_lengths,
                                            batch.y if model.config.shape in ("one-to-many", "encoder-decoder") else None)
        except InputError as e:
            raise UsageError(f"--backward: {e}") from None
        named = imported.grads_to_torch(grads) if imported is not None else grads
        for k, v in named.items():
            arrays[f"grad.{k}"] = np.asarray(v)
        if dx is not None:
            arrays["grad.input"] = np.asarray(dx)
    write_npz_atomic(out, arrays)
    shapes = ", ".join(f"{k} {tuple(v.shape)}" for k, v in list(arrays.items())[:3])
    print(f"saved {len(arrays)} arrays to {out} ({shapes}, ...)")
    return 0


def _load_array(path, flag):
    import numpy as np
    p = Path(path)
    if not p.is_file():
        raise UsageError(f"{flag}: {path}: no such file")
    try:
        a = np.load(p, allow_pickle=False)
    except Exception as e:
        raise UsageError(f"{flag}: {path} is not a readable .npy array ({_one_line(e)})") from None
    if not isinstance(a, np.ndarray):
        a.close()
        raise UsageError(f"{flag}: {path} must be a single .npy array")
    if not np.issubdtype(a.dtype, np.number):
        raise UsageError(f"{flag}: {path} must hold numbers, got dtype {a.dtype}")
    return a


def _trace_input(path, model, task):
    """→ (Batch with y=None when there are no targets, tokens as a text array or None)."""
    import numpy as np
    from rnncore.data import Batch
    p = Path(path)
    if p.suffix in (".npy", ".npz"):
        lengths = None
        if p.suffix == ".npz":
            try:
                with np.load(p, allow_pickle=False) as z:
                    if "x" not in z.files:
                        raise UsageError(f"--input: {path} must hold an array 'x' (and optionally 'lengths'); "
                                         f"found {', '.join(z.files) or 'nothing'}")
                    x = z["x"]
                    lengths = z["lengths"] if "lengths" in z.files else None
            except UsageError:
                raise
            except Exception as e:
                raise UsageError(f"--input: {path} is not a readable .npz ({_one_line(e)})") from None
        else:
            x = _load_array(path, "--input")
        c = model.config
        if not c.vocab_size and c.shape not in ("one-to-one", "one-to-many") and x.ndim == 2:
            x = x[None]                                   # (T, D) → one sequence
        return Batch(x, None, lengths), None
    if task is None:
        raise UsageError(f"--input: {path}: PyTorch weights read arrays only: give an .npy (N, T, D) or (T, D) "
                         "or an .npz with 'x'")
    lines = _read_lines(path)
    batches = []
    for i, line in lines:
        try:
            batches.append(task.encode(line))
        except ValueError as e:
            raise UsageError(f"--input: {path}, line {i}: {_one_line(e)}") from None
    batch = _stack(batches, model.config)
    toks = [task.describe(b, 0).get("x", []) for b in batches]
    T = max(len(t) for t in toks) if toks else 0
    tokens = np.array([[str(s) for s in t] + [""] * (T - len(t)) for t in toks]) if T else None
    return batch, tokens


def _stack(batches, config):
    """Batches of one (from task.encode) → one batch, sequences padded, with lengths."""
    import numpy as np
    from rnncore.data import Batch

    def pad(arrays):
        T = max(a.shape[1] for a in arrays)
        out = np.zeros((len(arrays), T, *arrays[0].shape[2:]), arrays[0].dtype)
        for i, a in enumerate(arrays):
            out[i, :a.shape[1]] = a[0]
        return out

    def lengths(arrays, given):
        return np.array([int(g[0]) if g is not None else a.shape[1] for a, g in zip(arrays, given)])

    xs = [np.asarray(b.x) for b in batches]
    ys = [np.asarray(b.y) for b in batches]
    if config.shape in ("one-to-one", "one-to-many"):
        x, xl = np.concatenate(xs), None                  # one start vector per sequence
    else:
        x, xl = pad(xs), lengths(xs, [b.x_lengths for b in batches])
    yl = None
    if config.shape in ("one-to-many", "encoder-decoder"):
        y, yl = pad(ys), lengths(ys, [b.y_lengths for b in batches])
    elif config.shape == "many-to-many":
        y = pad(ys)
    else:
        y = np.concatenate(ys)
    return Batch(x, y, xl, yl)


def _jsonable(v):
    import numpy as np
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None if math.isnan(v) else (1e308 if v > 0 else -1e308)
    if isinstance(v, os.PathLike):
        return os.fspath(v)
    return v


COMMAND_FUNCS = {"tasks": cmd_tasks, "train": cmd_train, "eval": cmd_eval, "sample": cmd_sample,
                 "score": cmd_score, "trace": cmd_trace}


if __name__ == "__main__":
    sys.exit(main())
