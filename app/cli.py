"""The ``rnnscope`` command: with no sub-command (or only GUI flags) the window opens.

Sub-commands train, evaluate, sample, score and trace without a window; they
import no Qt. Every bad flag or value prints one line naming it and exits with
code 2, without a traceback (set RNNSCOPE_DEBUG=1 to see one).

Exit codes: 0 done; 1 training diverged (the last good weights were saved);
2 a bad flag, value or file (or the run could not be saved where asked: it was saved
to a fallback file the message names); 130 training interrupted by Ctrl+C (what was
trained was saved).
"""
from __future__ import annotations

import argparse
import math
import os
import sys

from .cli_common import EXIT_INTERRUPTED, EXIT_USAGE, UsageError, one_line
from .cli_inspect import TRACE_KEYS, cmd_eval, cmd_sample, cmd_score, cmd_trace
from .cli_lessons import cmd_lessons
from .cli_train import cmd_tasks, cmd_train

COMMANDS = ("tasks", "lessons", "train", "eval", "sample", "score", "trace")
NONLINEARITIES = ("tanh", "relu")       # an nn.RNN's, as rnncore.torch_import.NONLINEARITIES

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
    add_gui_flags(p)
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    t = sub.add_parser("tasks", help="list the toy tasks with their shapes, lessons and defaults", allow_abbrev=False)
    t.add_argument("--json", action="store_true", help="print JSON instead of text")

    le = sub.add_parser("lessons", help="list the lessons: number, title, the notes' section", allow_abbrev=False)
    le.add_argument("--lang", choices=("en", "zh_CN"), default="en", help="language of the titles (default en)")
    le.add_argument("--json", action="store_true", help="print JSON (with each lesson's preset as train flags)")

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
    tc.add_argument("--nonlinearity", choices=NONLINEARITIES, help="nn.RNN's nonlinearity (not stored in the file)")
    tc.add_argument("--input", required=True, metavar="FILE")
    tc.add_argument("--out", required=True, metavar="TRACE.npz")
    tc.add_argument("--backward", metavar="G.npy", help="also export the gradients of sum(G · outputs)")
    return p


def add_gui_flags(p) -> None:
    """The window's flags (``rnnscope --task T ...`` without a command), from the core's lists."""
    from rnncore.config import CELLS, CLIP_MODES, MAX_LAYERS, MAX_SIZE
    g = p.add_argument_group("window (no COMMAND)")
    g.add_argument("--task", help="task to open (see 'rnnscope tasks'); default: the last one used, or agreement")
    g.add_argument("--cell", choices=CELLS, help="recurrent cell")
    g.add_argument("--hidden", type=_int_in(1, MAX_SIZE), metavar="N", help=f"hidden units H, 1..{MAX_SIZE}")
    g.add_argument("--layers", type=_int_in(1, MAX_LAYERS), metavar="N", help=f"stacked layers, 1..{MAX_LAYERS}")
    g.add_argument("--bidirectional", action="store_true", help="→a and ←a")
    g.add_argument("--lr", type=_float_in(0.0, 1e3), metavar="X", help="learning rate α, > 0")
    g.add_argument("--clip", choices=CLIP_MODES, help="gradient clipping mode")
    g.add_argument("--clip-threshold", type=_float_in(0.0, 1e12), metavar="X", help="clipping threshold")
    g.add_argument("--seed", type=_int_in(0, 2**63 - 1), metavar="N", help="seed for weights and data")
    g.add_argument("--steps", type=_int_in(0, 10**9), metavar="N", help="train this many steps, then pause")
    g.add_argument("--play", action="store_true", help="start training at once")
    g.add_argument("--run", metavar="RUN.npz", help="open a saved run")
    g.add_argument("--weights", metavar="FILE", help="import a PyTorch state_dict (.safetensors / .npz)")
    g.add_argument("--nonlinearity", choices=NONLINEARITIES, help="an nn.RNN's nonlinearity (not in its file)")
    g.add_argument("--screenshot", metavar="OUT.png", help="train --steps steps, save the dashboard as PNG, exit")
    g.add_argument("--size", type=_size, metavar="WxH",
                   help="window size for screenshots (default: fits the screen; 1680x1050 offscreen)")
    g.add_argument("--t", type=_int_in(1), metavar="T", help="time step to show (1-based), for screenshots")
    g.add_argument("--thread", action="store_true", help="train on a thread instead of a child process")
    g.add_argument("--lesson", type=_int_in(1), metavar="N", help="open lesson N beside the dashboard (see 'rnnscope lessons')")
    g.add_argument("--lang", choices=("en", "zh_CN"), help="language of the interface and the lessons (remembered; default: the last one, "
                        "else the system's)")


def _size(text):
    w, x, h = text.partition("x")
    if not (x and w.isdigit() and h.isdigit() and 0 < int(w) <= 16384 and 0 < int(h) <= 16384):
        raise argparse.ArgumentTypeError(f"must be WIDTHxHEIGHT in pixels, e.g. 1680x1050, got {text!r}")
    return int(w), int(h)


# -- entry point -----------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    command = argv[0] if argv else ""
    prog = f"rnnscope {command}" if command in COMMANDS else "rnnscope"
    try:
        if command and command not in COMMANDS and not command.startswith("-"):
            raise UsageError(f"unknown command {command!r} (choose from {', '.join(COMMANDS)}; "
                             "without a command the window opens)")
        args, rest = build_parser().parse_known_args(argv)
        if args.command is None:        # no command: the window, with its flags
            if rest:
                raise UsageError(f"unrecognized arguments: {' '.join(rest)} (see rnnscope --help)")
            from .gui import run_gui
            return run_gui(args)
        if rest and args.command != "train":
            raise UsageError(f"unrecognized arguments: {' '.join(rest)} (see {prog} --help)")
        return COMMAND_FUNCS[args.command](args, rest)
    except BrokenPipeError:             # `rnnscope tasks | head`: the reader has gone, nothing to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
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


COMMAND_FUNCS = {"tasks": cmd_tasks, "lessons": cmd_lessons, "train": cmd_train, "eval": cmd_eval, "sample": cmd_sample,
                 "score": cmd_score, "trace": cmd_trace}


if __name__ == "__main__":
    sys.exit(main())
