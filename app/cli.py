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

from .cli_common import UsageError, jsonable, one_line, print_metrics
from .cli_inspect import cmd_eval, cmd_sample, cmd_score, cmd_trace

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
        print(f"{prog}: error: {one_line(e)}", file=sys.stderr)
        return EXIT_USAGE


def _expected(e: Exception) -> bool:
    """Errors about the user's flags, values or files (ConfigError, InputError, RunFileError,
    TorchImportError, DataFileError are ValueErrors), reported in one line."""
    return isinstance(e, (UsageError, ValueError, OSError))


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
            raise UsageError(f"task {args.task!r} option: {one_line(e)}") from None
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
        print_metrics(task.evaluate(trainer.model))
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


COMMAND_FUNCS = {"tasks": cmd_tasks, "train": cmd_train, "eval": cmd_eval, "sample": cmd_sample,
                 "score": cmd_score, "trace": cmd_trace}


if __name__ == "__main__":
    sys.exit(main())
