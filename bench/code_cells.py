"""Train the ``code`` task (raw Python source, truncated BPTT) and report held-out bits
per character and the best unit for each tokenize signal, as ``rnnscope eval`` does.

Training cost is the CPU time of this process with BLAS pinned to one thread (set
OPENBLAS_NUM_THREADS=1 etc. before starting it), not wall time: the machine may be
shared.

    OPENBLAS_NUM_THREADS=1 python bench/code_cells.py --seeds 0 1 2 [--hidden 128 --seq-len 400 --steps 16000 --every 4000]

One JSON line per (seed, checkpoint): seed, step, cpu_s, bits_per_char, and for
depth / depth_all / string / comment / text / indent the best |r| (tanh(c<t>) or a<t>) of the trained and
of an untrained model.

Measured 2026-11-28 (Python 3.11.7's standard library, defaults: H = 128, 8 streams ×
400 characters, the files' order drawn by the seed, 8,000 steps, 271–272 s CPU; seeds
0, 1, 2 through the CLI): 1.978 / 1.968 / 1.969 bits per character, bracket depth in
code |r| 0.845 / 0.915 / 0.854, string-or-comment 0.687 / 0.761 / 0.821, indentation
0.774 / 0.760 / 0.757; an untrained model's best |r| is 0.12–0.29 for these signals.
README, "Raw text"; the preset was chosen with bench/code_tune.py (files in sorted order).
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from rnncore.tasks import make_task          # noqa: E402
from rnncore.trainer import Trainer          # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--hidden", type=int)
    ap.add_argument("--seq-len", type=int)
    ap.add_argument("--steps", type=int)
    ap.add_argument("--batch", type=int)
    ap.add_argument("--lr", type=float)
    ap.add_argument("--every", type=int, default=0, help="evaluate every N steps too")
    a = ap.parse_args()
    opts = {} if a.seq_len is None else {"seq_len": a.seq_len}
    task = make_task("code", **opts)
    mover = {} if a.hidden is None else {"hidden_size": a.hidden}
    steps = a.steps or task.default_steps
    for seed in a.seeds:
        tover = {"seed": seed, **({} if a.batch is None else {"batch_size": a.batch}),
                 **({} if a.lr is None else {"lr": a.lr})}
        task = make_task("code", **opts)
        tr = Trainer.create(task.model_config(**mover), task.train_config(**tover), task)
        cpu = 0.0
        marks = sorted({*(range(a.every, steps, a.every) if a.every else ()), steps})
        for mark in marks:
            t0 = time.process_time()
            for snap in tr.run(mark - tr.step):
                pass
            cpu += time.process_time() - t0
            m = task.evaluate(tr.model)
            row = {"seed": seed, "step": tr.step, "cpu_s": round(cpu, 1), "hidden": tr.model.config.hidden_size,
                   "seq_len": task.seq_len, "batch": tr.config.batch_size, "loss": round(float(snap.loss), 4),
                   "bits_per_char": round(m["bits_per_char"], 3),
                   "baselines": {k: round(v, 3) for k, v in m["baselines"].items()}}
            for s in ("depth", "depth_all", "string", "comment", "text", "indent", "column"):
                row[s] = [m["cells"][s]["r"], m["cells"][s]["state"], m["cells"][s]["unit"],
                          m["untrained_cells"][s]["r"]]
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
