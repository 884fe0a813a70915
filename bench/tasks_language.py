"""Train each word-level task (agreement, names, teddy, sentiment) with its defaults
for every cell type and print steps, seconds, final metrics and whether the
issue's target was reached.

    .venv/bin/python bench/tasks_language.py                      # everything
    .venv/bin/python bench/tasks_language.py --tasks agreement --cells lstm

Training stops as soon as the target is reached (checked every ``--eval-every``
steps) or after the task's ``default_steps`` (``--steps`` overrides). A
unidirectional Teddy model is always trained for all its steps: its "target" is
that it stays near chance however long it trains. Seconds are training time
only; evaluation time is reported apart.
"""
from __future__ import annotations

import os

# One BLAS thread: at these sizes a second thread only adds synchronisation, and on a
# shared 2-core machine OpenBLAS's spinning threads made a step 7x slower (191 vs 27 ms).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from rnncore.tasks import agreement, names, sentiment  # noqa: E402,F401  (register the tasks)
from rnncore.tasks import make_task  # noqa: E402
from rnncore.trainer import Trainer  # noqa: E402

CELLS = ("rnn", "gru", "lstm")
TASKS = ("agreement", "names", "teddy", "sentiment")


def summary(name: str, m: dict) -> str:
    pct = lambda v: f"{100 * v:.1f}"  # noqa: E731
    if name == "agreement":
        by = " / ".join(pct(m["by_attractors"][k]) for k in sorted(m["by_attractors"]))
        dist = m["by_distance"]
        near, far = min(dist), max(dist)
        return (f"held-out d={m['test_distance'][0]}-{m['test_distance'][1]}, by attractors 0/1/2/3: {by} %; "
                f"by distance d={near}: {pct(dist[near])}, d={far}: {pct(dist[far])}; "
                f"train range {pct(m['train_range_accuracy'])}")
    if name == "names":
        return (f"token acc {pct(m['token_accuracy'])} %, F1 {m['f1']:.3f}, "
                f"ambiguous words {pct(m['ambiguous_accuracy'])} %")
    if name == "teddy":
        return (f"Teddy token acc {pct(m['teddy_accuracy'])} % (name {pct(m['teddy_name_accuracy'])}, "
                f"bear {pct(m['teddy_bear_accuracy'])}), other tokens {pct(m['other_token_accuracy'])} %")
    if name == "sentiment":
        return (f"acc {pct(m['accuracy'])} %, negated {pct(m['negation_accuracy'])} %, "
                f"'but' {pct(m['contrast_accuracy'])} %")
    return str(m)


#: Training / held-out distances for the agreement sweep: the plain RNN learns the
#: short ones and fails as they grow (its gradient vanishes); GRU and LSTM learn all.
#: (The defaults, 12-24 / 25-36, are the main table's rows.)
DISTANCE_SWEEP = (("0-6", "7-12"), ("6-12", "13-24"))
#: The language-model mode (P(were) vs P(was) at the verb), on shorter distances:
#: predicting every word leaves a harder, noisier signal for the verb's number.
LM_OPTIONS = {"mode": "lm", "distance": "0-12", "test_distance": "13-20"}
LM_STEPS = 1500


def run(name, cell, bidirectional, steps, eval_every, seed, **options):
    task = make_task(name, **options)
    over = {"cell": cell}
    if bidirectional is not None:
        over["bidirectional"] = bidirectional
    mcfg = task.model_config(**over)
    tr = Trainer.create(mcfg, task.train_config(seed=seed), task, display=task.display_example())
    steps = steps or task.default_steps
    must_finish = name == "teddy" and not mcfg.bidirectional
    train_s = eval_s = 0.0
    done, metrics, reached = 0, None, False
    while done < steps:
        n = min(eval_every, steps - done)
        t0 = time.perf_counter()
        for snap in tr.run(n):
            pass
        train_s += time.perf_counter() - t0
        done += n
        if not snap.ok:
            print(f"  {snap.diverged}", file=sys.stderr)
            break
        t0 = time.perf_counter()
        metrics = task.evaluate(tr.model)
        eval_s += time.perf_counter() - t0
        reached = task.target_reached(metrics)
        if reached and not must_finish:
            break
    return done, train_s, eval_s, metrics, reached, float(snap.loss)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tasks", default=",".join(TASKS))
    ap.add_argument("--cells", default=",".join(CELLS))
    ap.add_argument("--steps", type=int, default=0, help="max steps (default: the task's default_steps)")
    ap.add_argument("--eval-every", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-sweep", action="store_true", help="skip the agreement distance sweep and LM mode")
    a = ap.parse_args(argv)
    rows = []
    print(f"{'task':<10} {'cell':<10} {'steps':>6} {'train s':>8} {'eval s':>7} {'loss':>8}  target  metrics")
    for name in a.tasks.split(","):
        for cell in a.cells.split(","):
            variants = [True, False] if name == "teddy" else [None]
            for bi in variants:
                label = cell + ("" if bi is None else (" bi" if bi else " uni"))
                steps, ts, es, m, ok, loss = run(name, cell, bi, a.steps, a.eval_every, a.seed)
                line = (f"{name:<10} {label:<10} {steps:>6} {ts:>8.1f} {es:>7.1f} {loss:>8.4f}  "
                        f"{'yes' if ok else 'NO':<6}  {summary(name, m) if m else '-'}")
                print(line, flush=True)
                rows.append((name, label, steps, ts, m, ok))
    if "agreement" in a.tasks.split(",") and not a.no_sweep:
        print("\nagreement by training distance (held-out distances all longer; accuracy by attractors 0/1/2/3)")
        print(f"{'cell':<6} {'distance':>9} {'held-out':>9} {'steps':>6} {'train s':>8}  target  accuracy")
        for cell in a.cells.split(","):
            for dist, test in DISTANCE_SWEEP:
                steps, ts, es, m, ok, loss = run("agreement", cell, None, a.steps, a.eval_every, a.seed,
                                                 distance=dist, test_distance=test)
                by = " / ".join(f"{100 * m['by_attractors'][k]:.1f}" for k in sorted(m["by_attractors"]))
                print(f"{cell:<6} {dist:>9} {test:>9} {steps:>6} {ts:>8.1f}  {'yes' if ok else 'NO':<6}  "
                      f"{100 * m['accuracy']:.1f} % ({by})", flush=True)
        print(f"\nagreement as a language model ({', '.join(f'{k}={v}' for k, v in LM_OPTIONS.items())})")
        for cell in a.cells.split(","):
            steps, ts, es, m, ok, loss = run("agreement", cell, None, a.steps or LM_STEPS, a.eval_every, a.seed,
                                             **LM_OPTIONS)
            print(f"{'agree-lm':<10} {cell:<10} {steps:>6} {ts:>8.1f} {es:>7.1f} {loss:>8.4f}  "
                  f"{'yes' if ok else 'NO':<6}  {summary('agreement', m)}", flush=True)
    return rows


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
