"""Where the best "in a string or comment" unit of a ``code`` run goes wrong.

For a saved run, on the task's held-out files (or, with --validation, the validation
files of bench/code_tune.py), each read from its start (≤ 20,000 characters): the
unit of tanh(c<t>) with the largest |r| with the ``text`` signal, the straight line
that best predicts the unit from the signal, and, for each kind of character, its
share of the characters, the unit's mean there, its share of the squared error left
by the line, and the r the unit would reach were it exact on that kind alone.

    OPENBLAS_NUM_THREADS=1 python bench/code_errors.py RUN.npz [--validation]

Measured 2026-11-27 on the defaults' seed 0 run, files in sorted order (test files,
r 0.716): code holds 57 % of the characters and 53 % of the error; docstring prose 26 %,
strings on one line 11 %, comments 8 %, blank lines and doctest lines inside docstrings
2 % together.
"""
import argparse
import io
import os
import sys
import tokenize

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from code_probe import states                            # noqa: E402
from code_tune import validation_task                    # noqa: E402
from rnncore.runs import load_run                        # noqa: E402
from rnncore.tasks import make_task                      # noqa: E402
from rnncore.tasks.code_signals import SIGNALS, signals  # noqa: E402

KINDS = ("code: letters", "code: other", "comment", "docstring: prose", "docstring: blank line",
         "docstring: doctest line", "string on one line")


def kinds(text: str) -> np.ndarray:
    """The kind (index into KINDS) of every character, from tokenize."""
    kind = np.where(np.char.isalpha(np.array(list(text))), 0, 1).astype(np.int8)
    starts = np.cumsum([0] + [len(line) + 1 for line in text.split("\n")])     # lines as tokenize reads them
    pos = lambda rc: int(starts[rc[0] - 1] + rc[1])  # noqa: E731
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        a, b = pos(tok.start), pos(tok.end)
        if tok.type == tokenize.COMMENT:
            kind[a:b] = 2
        elif tok.type != tokenize.STRING:
            continue
        elif tok.start[0] == tok.end[0] and tok.string.lstrip("rbuRBUfF")[:3] not in ('"""', "'''"):
            kind[a:b - 1] = 6                         # the closing quote is outside (code_signals)
        else:
            off = a
            for line in text[a:b - 1].split("\n"):
                s = line.strip()
                kind[off:off + len(line) + 1] = 4 if not s else 5 if s.startswith((">>>", "...")) else 3
                off += len(line) + 1
            kind[b - 1] = 1
    return kind


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("run")
    ap.add_argument("--validation", action="store_true")
    a = ap.parse_args()
    task = validation_task() if a.validation else make_task("code")
    files = states(load_run(a.run).make_model(), task)
    K = np.concatenate([kinds(t)[:len(f[0])] for t, f in zip((t for t in task.heldout if signals(t) is not None), files)])
    X, S = np.concatenate([f[0] for f in files]), np.concatenate([f[2] for f in files])[:, SIGNALS.index("text")]
    r = np.nan_to_num([np.corrcoef(X[:, u], S)[0, 1] for u in range(X.shape[1])])
    u = int(np.argmax(np.abs(r)))
    x = X[:, u] * np.sign(r[u])
    slope, icpt = np.polyfit(S, x, 1)
    fit = icpt + slope * S
    err = (x - fit) ** 2
    print(f"unit {u}: r {r[u]:+.3f}; the line: {icpt:+.2f} outside, {icpt + slope:+.2f} inside (sign as r's)")
    print(f"{'kind':26s} {'chars':>6s} {'mean':>6s} {'error':>6s} {'r if exact there':>17s}")
    for k, name in enumerate(KINDS):
        sel = K == k
        if sel.any():
            exact = np.where(sel, fit, x)
            print(f"{name:26s} {sel.mean():6.1%} {x[sel].mean():+6.2f} {err[sel].sum() / err.sum():6.1%} "
                  f"{np.corrcoef(exact, S)[0, 1]:17.3f}")


if __name__ == "__main__":
    main()
