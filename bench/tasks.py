"""Train each sequence task with its defaults, for each relevant cell type, and
print the steps and seconds it took to reach its target and the final metrics.

    .venv/bin/python bench/tasks.py                       # every task, every cell
    .venv/bin/python bench/tasks.py --task adding --cell lstm

Training stops as soon as the task's target is reached (checked every
``--eval-every`` steps) or after the task's ``default_steps``; a target that says
a model must *not* learn (the vanilla RNN on the adding problem) is judged after
all ``default_steps``. Seconds count
training and the periodic evaluations.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

# One BLAS thread: at these sizes a second one only contends with the other cores' work (DESIGN.md).
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import numpy as np  # noqa: E402

from rnncore.model import Model  # noqa: E402
from rnncore.tasks import make_task  # noqa: E402
from rnncore.trainer import Trainer  # noqa: E402

#: task → [(label, task options, cell, train overrides)]
PLAN = {
    "lm": [("chars", {"level": "char"}, c, {}) for c in ("rnn", "gru", "lstm")]
          + [("words", {"level": "word"}, c, {}) for c in ("rnn", "gru", "lstm")],
    "adding": [("T=50", {}, c, {}) for c in ("rnn", "gru", "lstm")],
    "exploding": [("clip 1.0", {}, "rnn", {}), ("no clip", {}, "rnn", {"clip": "none"}),
                  ("small Waa", {"scale": 0.5}, "rnn", {"clip": "none"})],
    "melody": [("", {}, c, {}) for c in ("rnn", "gru", "lstm")],
    "dates": [("", {}, c, {}) for c in ("rnn", "gru", "lstm")],
    "user-labels": [("example", {}, c, {}) for c in ("rnn", "gru", "lstm")],
}


def _short(metrics: dict) -> str:
    keep = {}
    for k, v in metrics.items():
        if isinstance(v, float):
            keep[k] = round(v, 4)
        elif isinstance(v, (int, bool, str)) and k not in ("cell",):
            keep[k] = v
    return json.dumps(keep)[:200]


def run(task_name, label, options, cell, overrides, eval_every, seed, max_steps=None):
    task = make_task(task_name, **options)
    mcfg = task.model_config(cell=cell)
    tcfg = task.train_config(seed=seed, **overrides)
    model = Model(mcfg, np.random.default_rng([tcfg.seed, 0]))
    if hasattr(task, "prepare_model"):
        task.prepare_model(model)
    trainer = Trainer(model, task, tcfg)
    steps = max_steps or task.default_steps
    t0 = time.perf_counter()
    reached, metrics, diverged, n = False, {}, None, 0
    norms, clipped = [], 0
    for snap in trainer.run(steps):
        n = snap.step
        norms.append(snap.grad_norm)
        clipped += snap.clipped
        if not snap.ok:
            diverged = snap.diverged
            break
        if n % eval_every == 0 or n == steps:
            metrics = task.evaluate(model)
            if task.target_reached(metrics) and metrics.get("expected_to_learn", True):
                reached = True        # a target of *not* learning (vanilla RNN, adding) is judged at the end
                break
    if diverged:
        metrics, reached = {"loss": float(snap.loss)}, False
    elif not reached:
        metrics = metrics or task.evaluate(model)
        reached = task.target_reached(metrics)
    secs = time.perf_counter() - t0
    extra = ""
    if task_name == "exploding" and norms:
        extra = f" max‖g‖ before clipping={np.nanmax(norms):.3g}, clipped at {clipped}/{len(norms)} steps"
    return n, secs, reached, diverged, metrics, extra


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--task", action="append", help="task name (repeatable); default all")
    ap.add_argument("--cell", action="append", help="cell (repeatable); default the plan's")
    ap.add_argument("--eval-every", type=int, default=100)
    ap.add_argument("--steps", type=int, default=None, help="override default_steps")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    tasks = a.task or list(PLAN)
    print(f"{'task':<12}{'variant':<10}{'cell':<6}{'steps':>6}{'sec':>7}  {'target':<8} metrics")
    for t in tasks:
        for label, opts, cell, over in PLAN[t]:
            if a.cell and cell not in a.cell:
                continue
            n, secs, ok, div, m, extra = run(t, label, opts, cell, over, a.eval_every, a.seed, a.steps)
            status = "met" if ok else ("DIVERGED" if div else "missed")
            print(f"{t:<12}{label:<10}{cell:<6}{n:>6}{secs:>7.1f}  {status:<8} {_short(m)}{extra}", flush=True)
            if div:
                print(f"{'':<34}{div}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
