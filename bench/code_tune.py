"""Choosing the ``code`` task's preset on a VALIDATION split of the training files
(the held-out test files are never read here).

The split (fixed before any result was seen): of the training files of the task's
rule (file k of the sorted standard library is a test file when k % 10 == 9), file k
is a validation file when k % 10 == 4; the rest train. Everything else is the task's:
truncated BPTT over contiguous streams, evaluation of each validation file from its
start (≤ 20,000 characters of each), best |r| over the units of tanh(c<t>) and a<t>,
depth scored in code (rnncore/tasks/code_signals.py).

Training cost is the CPU time of this process (BLAS pinned to one thread: set
OPENBLAS_NUM_THREADS=1 before starting it), not wall time: the machine may be shared.

    OPENBLAS_NUM_THREADS=1 nice -n 15 python bench/code_tune.py --seed 0 --budget 300 \\
        [--hidden 128 --seq-len 400 --batch 8 --lr 0.005 --cell lstm --decay 0.1 --every 100]
        [--forget-bias 1] [--packages]

The flags' defaults are the task's preset (8 streams × 400 characters); README's older
table varied the previous one, ``--seq-len 100 --batch 16``. ``--forget-bias B`` starts
the LSTM's Γf biases at B; ``--packages`` trains on the standard library's packages too.
``--budget`` trains for that many CPU seconds (or ``--steps`` that many steps); ``--decay
F`` lowers the learning rate linearly to F × lr over the run (1: constant). One JSON line
per checkpoint: CPU seconds, steps, validation bits per character, and for depth /
depth_all / string / comment / text (string or comment) / indent the best |r|.
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from rnncore.tasks import make_task                  # noqa: E402
from rnncore.tasks.code import _cells, load_code     # noqa: E402
from rnncore.trainer import Trainer                  # noqa: E402


PACKAGES_SKIPPED = ("test", "tests", "idle_test", "encodings", "pydoc_data", "site-packages", "__pycache__")


def package_texts():
    """The standard library's packages' *.py files (not its test suite, codec tables or
    pydoc's topics), sorted by path: extra training text for --packages."""
    import os
    from rnncore.tasks.code import stdlib_dir
    from rnncore.tasks.userdata import DataFileError, read_text
    root, out = stdlib_dir(), []
    for d in sorted(os.listdir(root)):
        if d in PACKAGES_SKIPPED or not os.path.isdir(os.path.join(root, d)):
            continue
        for r, ds, fs in os.walk(os.path.join(root, d)):
            ds[:] = sorted(x for x in ds if x not in PACKAGES_SKIPPED)
            for f in sorted(fs):
                if f.endswith(".py"):
                    try:
                        out.append("\n".join(read_text(os.path.join(r, f))) + "\n")
                    except DataFileError:        # as the task does: an unreadable file is skipped
                        pass
    return out


def validation_task(packages=False, **opts):
    """The code task with the validation split in place of the test files."""
    task = make_task("code", **opts)
    train, _ = load_code(task.options["corpus"])
    task.heldout = [t for k, t in enumerate(train) if k % 10 == 4]
    extra = package_texts() if packages else []
    task.train_on([t for k, t in enumerate(train) if k % 10 != 4] + extra)
    task._signals = task._baselines = None
    return task


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--cell", default="lstm")
    ap.add_argument("--layers", type=int, default=1)
    ap.add_argument("--seq-len", type=int, default=400)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--lr", type=float, default=0.005)
    ap.add_argument("--forget-bias", type=float, default=None, help="start the LSTM's Γf biases here")
    ap.add_argument("--decay", type=float, default=1.0, help="final lr as a fraction of --lr (linear)")
    ap.add_argument("--budget", type=float, default=300.0, help="CPU seconds of training")
    ap.add_argument("--steps", type=int, default=0, help="train this many steps instead of --budget")
    ap.add_argument("--every", type=float, default=100.0, help="evaluate every N CPU seconds")
    ap.add_argument("--test", action="store_true", help="evaluate on the task's test files (once, at the end)")
    ap.add_argument("--save", help="save the trained run here (.npz)")
    ap.add_argument("--packages", action="store_true", help="train on the standard library's packages too")
    a = ap.parse_args()
    task = make_task("code", seq_len=a.seq_len) if a.test else validation_task(packages=a.packages, seq_len=a.seq_len)
    tr = Trainer.create(task.model_config(hidden_size=a.hidden, cell=a.cell, num_layers=a.layers),
                        task.train_config(seed=a.seed, batch_size=a.batch, lr=a.lr), task)
    if a.forget_bias is not None:
        for name, b in tr.model.params.items():
            if name.endswith(".b") and name.startswith("rnn."):
                b[a.hidden:2 * a.hidden] = a.forget_bias        # blocks Γu, Γf, Γo, c̃
    # the step count of the budget is found from the first 200 steps' CPU time, so the
    # schedule (and a rerun with --steps) is a function of the step number only
    t0 = time.process_time()
    for _ in tr.run(200):
        pass
    per_step = (time.process_time() - t0) / 200
    steps = a.steps or int(a.budget / per_step)
    every = max(1, int(a.every / per_step))
    marks = [*range(every, steps - every // 2, every), steps]
    cpu = time.process_time() - t0
    for mark in marks:
        t0 = time.process_time()
        while tr.step < mark:
            n = min(100, mark - tr.step)
            tr.set_lr(a.lr * (1 - (1 - a.decay) * tr.step / steps))
            for _ in tr.run(n):
                pass
        cpu += time.process_time() - t0
        bpc, corr = task.read_heldout(tr.model)
        cells = _cells(corr)
        row = {"seed": a.seed, "cell": a.cell, "hidden": a.hidden, "layers": a.layers, "seq_len": a.seq_len, "batch": a.batch,
               "lr": a.lr, "decay": a.decay, "forget_bias": a.forget_bias, "packages": a.packages, "split": "test" if a.test else "validation",
               "step": tr.step, "cpu_s": round(cpu, 1), "bits_per_char": round(bpc, 3)}
        for s in ("depth", "depth_all", "text", "string", "comment", "indent"):
            row[s] = round(abs(cells[s]["r"]), 3)
        print(json.dumps(row), flush=True)
    if a.save:
        from rnncore.runs import save_run
        save_run(a.save, tr, task)


if __name__ == "__main__":
    main()
