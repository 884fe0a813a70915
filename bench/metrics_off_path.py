"""Steps per second of the trainer while the task's metrics are evaluated on their own thread
(rnncore.evaluation), side by side with steps per second without an evaluation, in one run,
alternating. Before issue 9 the trainer stopped for the whole evaluation (0 steps meanwhile).

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 nice -n 15 .venv/bin/python bench/metrics_off_path.py [--task agreement] [--rounds 4]

Wall time (the evaluation shares the process and its GIL; what counts is how many steps the
trainer takes meanwhile). BLAS pinned to one thread, as in the window's training process.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from rnncore.evaluation import Evaluator  # noqa: E402
from rnncore.runspec import RunSpec  # noqa: E402


def steps_for(trainer, seconds: float) -> float:
    t0, n = time.perf_counter(), 0
    while time.perf_counter() - t0 < seconds:
        trainer.train_step()
        n += 1
    return n / (time.perf_counter() - t0)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--task", default="agreement")
    ap.add_argument("--rounds", type=int, default=4)
    args = ap.parse_args(argv)
    trainer, task = RunSpec(task=args.task).build()
    steps_for(trainer, 1.0)                                    # warm up
    ev = Evaluator()
    print(f"{args.task}: steps/s without | with an evaluation running | evaluation s | steps during it")
    rows = []
    for r in range(args.rounds):
        t0, n = time.perf_counter(), 0
        ev.start(task, trainer.model, trainer.step)
        while not ev.ready:
            trainer.train_step()
            n += 1
        done = ev.take()
        during = n / (time.perf_counter() - t0)
        without = steps_for(trainer, max(done.seconds, 1.0))
        rows.append((without, during, done.seconds, n))
        print(f"round {r + 1}: {without:8.1f} | {during:8.1f} ({during / without:.0%}) | {done.seconds:6.2f} | {n}")
    w = sum(x[0] for x in rows[1:]) / max(len(rows) - 1, 1)
    d = sum(x[1] for x in rows[1:]) / max(len(rows) - 1, 1)
    print(f"after the first: {d / w:.0%} of the steps/s while an evaluation runs (was 0 %: the trainer waited)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
