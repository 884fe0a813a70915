"""How much of each tokenize signal ANY linear read-out of the state finds, against the
best single unit: a diagnostic for the ``code`` task's cells (bench/code_tune.py).

For a saved run, on the validation files of bench/code_tune.py (each from its start,
≤ 20,000 characters): the best single unit's |r| (as ``rnnscope eval``), and the r of a
least-squares read-out from all units of tanh(c<t>) (and of a<t>), fitted on the even-numbered
validation files and scored on the odd-numbered ones. When the read-out itself stays
near a figure, no single unit can pass it.

    OPENBLAS_NUM_THREADS=1 python bench/code_tune.py --save RUN.npz ...
    OPENBLAS_NUM_THREADS=1 python bench/code_probe.py RUN.npz
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from code_tune import validation_task                   # noqa: E402
from rnncore.runs import load_run                       # noqa: E402
from rnncore.tasks.code import EVAL_CHARS               # noqa: E402
from rnncore.tasks.code_signals import SIGNALS, signals  # noqa: E402
from rnncore.trace import build_trace                   # noqa: E402

SHOWN = ("depth", "depth_all", "text", "string", "comment", "indent")


def states(model, task):
    """→ [(tanh(c) (n, units), a (n, units), signals (n, k))] per readable validation file."""
    out = []
    for full in task.heldout:
        sig = signals(full)
        if sig is None:
            continue
        ids = task.ids(full[:EVAL_CHARS + 1])
        n = len(ids) - 1
        fwd = model.forward(ids[None, :-1], None)
        tr = build_trace(model, fwd, None, None).parts["rnn"]
        st = {k: np.concatenate([tr[l][0][k][:, 0] for l in range(len(tr))], -1) for k in ("c", "a")}
        out.append((np.tanh(st["c"]), st["a"], np.stack([sig[k][:n] for k in SIGNALS], 1)))
    return out


def main():
    run = load_run(sys.argv[1])
    model = run.make_model()
    files = states(model, validation_task())
    row = {"run": sys.argv[1]}
    for key, idx in (("c", 0), ("a", 1)):
        fit = [f for i, f in enumerate(files) if i % 2 == 0]
        score = [f for i, f in enumerate(files) if i % 2 == 1]
        X = np.concatenate([f[idx] for f in fit])
        Xs = np.concatenate([f[idx] for f in score])
        S, Ss = np.concatenate([f[2] for f in fit]), np.concatenate([f[2] for f in score])
        allX, allS = np.concatenate([X, Xs]), np.concatenate([S, Ss])
        for s in SHOWN:                       # each signal where it is given (depth: in code)
            j = SIGNALS.index(s)
            k, ks, ka = ~np.isnan(S[:, j]), ~np.isnan(Ss[:, j]), ~np.isnan(allS[:, j])
            W = np.linalg.lstsq(np.c_[X[k], np.ones(k.sum())], S[k, j], rcond=None)[0]
            probe = np.corrcoef(np.c_[Xs[ks], np.ones(ks.sum())] @ W, Ss[ks, j])[0, 1]
            single = np.nan_to_num([abs(np.corrcoef(allX[ka, u], allS[ka, j])[0, 1]) for u in range(allX.shape[1])])
            row[f"{s}_{key}"] = {"unit": round(float(single.max()), 3), "readout": round(float(probe), 3)}
    print(json.dumps(row))


if __name__ == "__main__":
    main()
