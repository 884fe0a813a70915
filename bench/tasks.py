"""Train every task exactly as ``rnnscope train --task T`` does with its defaults, over
several seeds, and print each metric's mean and range beside what shortcuts score.

    .venv/bin/python bench/tasks.py                          # every row, seeds 0 1 2
    .venv/bin/python bench/tasks.py --task agreement --seeds 0 1 2 3 4 --jobs 2
    .venv/bin/python bench/tasks.py --markdown               # the README's table

Each row is one command (printed with it): the task's defaults, or a default with one
flag changed to show the lesson (``--cell rnn``, ``--no-clip`` …). Training runs the
task's fixed ``default_steps``; nothing is stopped early and nothing is selected, so
the figure is what a newcomer gets from ``rnnscope train`` then ``rnnscope eval``.
Metrics come from ``task.evaluate`` on the task's held-out data once training ends.
Seconds are CPU time of the training process with BLAS pinned to one thread (the
evaluation is not counted), so they do not depend on what else runs on the machine.
"""
from __future__ import annotations

import os

# One BLAS thread: at these sizes a second one only contends with other work (DESIGN.md).
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ProcessPoolExecutor  # noqa: E402

import numpy as np  # noqa: E402

#: (task, flags shown, task options, model overrides, train overrides); flags "" = the defaults
ROWS = [
    ("agreement", "", {}, {}, {}),
    ("agreement", "--cell gru", {}, {"cell": "gru"}, {}),
    ("agreement", "--cell rnn", {}, {"cell": "rnn"}, {}),
    ("agreement", "--hold-out obj_rel_inside_no_that,sent_comp", {"hold_out": "obj_rel_inside_no_that,sent_comp"},
     {}, {}),
    ("names", "", {}, {}, {}),
    ("teddy", "", {}, {}, {}),
    ("teddy", "(bidirectional=False)", {}, {"bidirectional": False}, {}),
    ("sentiment", "", {}, {}, {}),
    ("lm", "", {}, {}, {}),
    ("lm", "--option level=word", {"level": "word"}, {}, {}),
    ("adding", "", {}, {}, {}),
    ("adding", "--cell rnn", {}, {"cell": "rnn"}, {}),
    ("exploding", "", {}, {}, {}),
    ("exploding", "--no-clip", {}, {}, {"clip": "none"}),
    ("melody", "", {}, {}, {}),
    ("dates", "", {}, {}, {}),
    ("user-labels", "", {}, {}, {}),
]

#: the metrics shown per task (all of them go to --json)
HEADLINE = {
    "agreement": ("accuracy", "worst_construction", "train_range_accuracy"),
    "names": ("token_accuracy", "f1", "ambiguous_accuracy"),
    "teddy": ("teddy_accuracy", "other_token_accuracy"),
    "sentiment": ("accuracy", "negation_accuracy", "contrast_accuracy"),
    "lm": ("perplexity", "pear_beats_pair"),
    "adding": ("mse",),
    "exploding": ("mse",),
    "melody": ("style_accuracy",),
    "dates": ("exact_match", "out_of_range_exact_match"),
    "user-labels": ("accuracy",),
}
#: series worth a line of their own (mean over seeds per key)
DETAIL = {"agreement": ("by_construction", "by_attractors")}


def train_one(task_name, options, model_over, train_over, seed):
    """One run as ``rnnscope train`` does it → (metrics, CPU seconds of training, steps, divergence)."""
    np.seterr(all="ignore")
    from rnncore.tasks import make_task
    from rnncore.trainer import Trainer
    task = make_task(task_name, **options)
    trainer = Trainer.create(task.model_config(**model_over), task.train_config(seed=seed, **train_over), task)
    steps = task.default_steps
    t0 = time.process_time()
    snap = None
    for snap in trainer.run(steps):
        pass
    cpu = time.process_time() - t0
    diverged = None if snap is None or snap.ok else snap.diverged
    metrics = task.evaluate(trainer.model)
    return _plain(metrics), cpu, steps, diverged


def _plain(v):
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, (np.generic,)):
        return v.item()
    return v


def _num(v):
    if isinstance(v, bool):
        return float(v)
    return float(v) if isinstance(v, (int, float)) and v is not None else None


def summarize(values):
    vals = [v for v in values if v is not None and math.isfinite(v)]
    if not vals:
        return None
    return float(np.mean(vals)), float(min(vals)), float(max(vals))


def is_fraction(name) -> bool:
    return not any(w in name for w in ("mse", "perplexity", "loss"))


def fmt(name, s, pct=None):
    if s is None:
        return "—"
    mean, lo, hi = s
    pct = is_fraction(name) if pct is None else pct
    f = (lambda v: f"{100 * v:.1f}") if pct else (lambda v: f"{v:.3g}")
    unit = " %" if pct else ""
    return f"{f(mean)}{unit} ({f(lo)}–{f(hi)})" if hi > lo else f"{f(mean)}{unit}"


def command(task, flags):
    return f"rnnscope train --task {task} {flags}".rstrip()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--task", action="append", help="only this task (repeatable)")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--jobs", type=int, default=1, help="runs in parallel (each still one BLAS thread)")
    ap.add_argument("--json", help="also write every run's metrics to this file")
    ap.add_argument("--markdown", action="store_true", help="print the summary as a Markdown table")
    ap.add_argument("--load", help="print the summary of a file written by --json (no training)")
    a = ap.parse_args(argv)
    rows = [r for r in ROWS if not a.task or r[0] in a.task]
    results = {}                         # (task, flags, seed) → (metrics, CPU s, steps, divergence)
    started = time.time()
    if a.load:
        with open(a.load) as f:
            for run in json.load(f):
                results[(run["task"], run["flags"], run["seed"])] = (run["metrics"], run["cpu_s"], run["steps"],
                                                                     run["diverged"])
        a.seeds = sorted({k[2] for k in results})
        rows = [r for r in rows if (r[0], r[1], a.seeds[0]) in results]
        return report(rows, results, a, 0)
    with ProcessPoolExecutor(max_workers=a.jobs) as pool:
        futures = {(task, flags, seed): pool.submit(train_one, task, opts, model_over, train_over, seed)
                   for task, flags, opts, model_over, train_over in rows for seed in a.seeds}
        for (task, flags, seed), fut in futures.items():
            m, cpu, steps, div = results[(task, flags, seed)] = fut.result()
            head = {k: m.get(k) for k in HEADLINE[task]}
            print(f"# {command(task, flags)} --seed {seed}: {steps} steps, {cpu:.1f} s CPU"
                  f"{', DIVERGED: ' + div if div else ''}  {json.dumps(head)}", file=sys.stderr, flush=True)
    if a.json:
        with open(a.json, "w") as f:
            json.dump([{"task": t, "flags": fl, "seed": s, "metrics": r[0], "cpu_s": r[1], "steps": r[2],
                        "diverged": r[3]} for (t, fl, s), r in results.items()], f, indent=1)
    return report(rows, results, a, time.time() - started)


def report(rows, results, a, wall):
    print(f"\nseeds {' '.join(map(str, a.seeds))}; mean (min–max) over seeds"
          + (f"; wall time {wall:.0f} s with {a.jobs} job(s)" if wall else "") + "\n")
    lines = []
    for task, flags, *_ in rows:
        runs = [results[(task, flags, s)] for s in a.seeds]
        cpu = summarize([r[1] for r in runs])
        metrics = "; ".join(f"{k} {fmt(k, summarize([_num(r[0].get(k)) for r in runs]))}" for k in HEADLINE[task])
        base = runs[0][0].get("baselines") or {}
        pct = is_fraction(HEADLINE[task][0])          # a baseline is in the unit of the task's first metric
        baselines = "; ".join(f"{k} {fmt(k, summarize([_num(r[0].get('baselines', {}).get(k)) for r in runs]), pct)}"
                              for k in base)
        overlap = sorted({r[0].get("overlap") for r in runs}, key=str)
        diverged = [r[3] for r in runs if r[3] is not None]
        if diverged:
            at = ", ".join(re.search(r"at step (\d+)", d).group(1) if re.search(r"at step (\d+)", d) else "?"
                           for d in diverged)
            metrics = f"diverged in {len(diverged)}/{len(runs)} runs, at step {at} (stopped cleanly, last finite weights kept)"
        steps = runs[0][2]
        lines.append((f"`{command(task, flags)}`", str(steps), f"{cpu[0]:.1f} ({cpu[1]:.1f}–{cpu[2]:.1f})",
                      metrics, baselines, ", ".join(map(str, overlap))))
        for key in DETAIL.get(task, ()):
            keys = list(runs[0][0].get(key, {}))
            parts = [f"{k} {fmt(key, summarize([_num(r[0][key].get(k)) for r in runs]))}" for k in keys]
            lines.append(("", "", "", f"{key}: " + ", ".join(parts), "", ""))
    header = ("command", "steps", "CPU s", "held-out metrics, mean (range)", "baselines (same data)", "overlap")
    if a.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for ln in lines:
            print("| " + " | ".join(ln) + " |")
    else:
        for ln in lines:
            if ln[0]:
                print(f"{ln[0]}\n    {ln[1]} steps, {ln[2]} s CPU; {ln[3]}\n    baselines: {ln[4]}; overlap {ln[5]}")
            else:
                print(f"    {ln[3]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
