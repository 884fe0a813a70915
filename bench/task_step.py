"""Milliseconds per training step of a task with its defaults, for comparing two
checkouts side by side (the machine is shared: alternate them in one run and read the
ratio, not the absolute figures).

    OPENBLAS_NUM_THREADS=1 python bench/task_step.py --task code --steps 40 --rounds 3 \\
        --root . --root ../before

Each round times every root once, in turn, in a fresh process.
"""
import argparse
import json
import os
import subprocess
import sys

CHILD = r"""
import sys, time, json
sys.path.insert(0, sys.argv[1])
from rnncore.tasks import make_task
from rnncore.trainer import Trainer
task = make_task(sys.argv[2])
tr = Trainer.create(task.model_config(), task.train_config(seed=0), task)
for _ in tr.run(5):
    pass
n = int(sys.argv[3])
t0 = time.process_time()
for _ in tr.run(n):
    pass
print(json.dumps({"ms_per_step": 1000 * (time.process_time() - t0) / n}))
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--task", default="code")
    ap.add_argument("--steps", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--root", action="append", help="a checkout to time (repeat); default: this one")
    a = ap.parse_args()
    roots = [os.path.abspath(r) for r in (a.root or [os.path.dirname(os.path.dirname(os.path.abspath(__file__)))])]
    times = {r: [] for r in roots}
    for _ in range(a.rounds):
        for r in roots:
            out = subprocess.run([sys.executable, "-c", CHILD, r, a.task, str(a.steps)],
                                 capture_output=True, text=True, check=True).stdout
            times[r].append(json.loads(out.strip().splitlines()[-1])["ms_per_step"])
    base = min(times[roots[0]])
    for r in roots:
        best = min(times[r])
        print(f"{r}: {best:.1f} ms/step of CPU (best of {a.rounds}; all {', '.join(f'{t:.1f}' for t in times[r])}), "
              f"{best / base:.2f}× the first")


if __name__ == "__main__":
    main()
