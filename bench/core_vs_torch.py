"""One training step of the NumPy core against PyTorch on the CPU, side by side.

    .venv/bin/python bench/core_vs_torch.py            # the full table (~1–2 min)
    .venv/bin/python bench/core_vs_torch.py --quick    # fewer repetitions

A step is forward + per-step softmax cross-entropy + BPTT + global-norm clip
(threshold 5) + Adam, float32, on a many-to-many model (recurrent stack, linear
head of O = 16 classes, L = Σ_t L<t> averaged over the batch). PyTorch runs
nn.RNN / nn.GRU / nn.LSTM + nn.Linear + cross_entropy + clip_grad_norm_ + Adam.
Both sides see fixed float inputs and targets.

Columns: ``torch`` and ``core`` (Model.loss_and_grads + clip_by_norm + Adam.step,
the same work as the torch step) in ms, medians; ``core/torch``; ``trainer``, the
app's full step (Trainer.train_step: also draws the batch, checks finiteness and
keeps a rollback copy), and its ratio to torch. Steps are interleaved one by one
(torch, core, trainer, torch, ...) so that noise from other processes hits all
alike: read the ratios, not the absolute times.

Clock: with one thread (the default) every operation of either library runs on
the calling thread, so the clock is that thread's CPU time (time.thread_time):
time spent descheduled while other processes run is not counted. Seen here on
a loaded machine: 11.4 ms wall for 3.8 ms of CPU per torch step. With --threads
above 1 the clock is wall time (perf_counter), and needs a quiet machine.

The trace lines compare a Trainer that traces its display example (N = 1) after
every step (trace_every=1) with one that never does: the cost per traced step,
and the share of training time it takes when the app traces at most 30 times a
second (30 × extra seconds per trace, or every step when steps are slower).

Threads: one BLAS thread for numpy (threadpoolctl) and torch.set_num_threads(1)
by default; --threads N sets both to N. With two threads each, numpy's OpenBLAS
pool and torch's OpenMP pool live in one process and each spins while the
other works (2 cores, shared with other processes here): timings then say more
about the scheduler than about either library.
OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are reported as found in the environment.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import numpy as np

from rnncore import Batch, Model, ModelConfig, TrainConfig
from rnncore.optim import Adam, clip_by_norm
from rnncore.trainer import Trainer

O = 16          # classes of the softmax head
CLIP = 5.0
LR = 1e-3

# (label, cell, B, T, D, H, layers, bidirectional)
SIZES = [(1, 20, 16, 32), (32, 30, 32, 64), (64, 50, 64, 128), (32, 100, 64, 256)]
CELLS = ["rnn", "gru", "lstm"]


def configs(cells):
    out = []
    for cell in cells:
        for B, T, D, H in SIZES:
            out.append((cell, B, T, D, H, 1, False))
    for cell in cells:
        out.append((cell, 32, 30, 32, 64, 1, True))
        out.append((cell, 32, 30, 32, 64, 2, False))
    return out


def blas_info():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return None, "threadpoolctl not installed"
    for lib in threadpool_info():
        if lib.get("internal_api") == "openblas" and "numpy" in lib.get("filepath", ""):
            return lib["num_threads"], f"OpenBLAS {lib.get('version')} kernel {lib.get('architecture')}, {lib['num_threads']} threads"
    return None, "numpy's BLAS not found by threadpoolctl"


def make_data(B, T, D, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((B, T, D)).astype(np.float32)
    y = rng.integers(0, O, (B, T))
    return x, y


def core_setup(cell, B, T, D, H, layers, bi, x, y):
    cfg = ModelConfig(cell=cell, input_size=D, hidden_size=H, num_layers=layers, bidirectional=bi,
                      shape="many-to-many", output="softmax", output_size=O,
                      reset_after=cell == "gru", dtype="float32")
    model = Model(cfg, rng=0)
    batch = Batch(x, y)
    opt = Adam(model.params, LR)

    def step():
        res = model.loss_and_grads(batch)
        clip_by_norm(res.grads, CLIP)
        opt.step(res.grads)
        return res.loss
    return cfg, step


def trainer_setup(cfg, B, x, y, trace_every=0):
    tc = TrainConfig(optimizer="adam", lr=LR, clip="norm", clip_threshold=CLIP, batch_size=B,
                     trace_every=trace_every)
    data = Batch(np.concatenate([x, x[::-1]]), np.concatenate([y, y[::-1]]))
    tr = Trainer(Model(cfg, rng=0), data, tc, display=Batch(x[:1], y[:1]))
    return lambda: tr.train_step().loss


def torch_setup(cell, B, T, D, H, layers, bi, x, y):
    import torch
    rnn_cls = {"rnn": torch.nn.RNN, "gru": torch.nn.GRU, "lstm": torch.nn.LSTM}[cell]
    torch.manual_seed(0)
    rnn = rnn_cls(D, H, num_layers=layers, bidirectional=bi, batch_first=True)
    head = torch.nn.Linear(H * (2 if bi else 1), O)
    params = list(rnn.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(params, lr=LR)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y).reshape(-1)

    def step():
        opt.zero_grad(set_to_none=True)
        out, _ = rnn(xt)
        logits = head(out).reshape(-1, O)
        loss = torch.nn.functional.cross_entropy(logits, yt, reduction="sum") / B
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, CLIP)
        opt.step()
        return loss.item()
    return step


def interleave(fns, budget, min_reps, max_reps, clock=time.thread_time):
    """Median seconds per call of each fn, calling them in turn one step at a time.

    The order rotates every round, so each fn follows each other equally often
    (whatever one leaves behind, warm caches or spinning threads, hits all alike).
    """
    for f in fns:      # warm up: first-touch of buffers, lazy init
        f()
        f()
    times = [[] for _ in fns]
    start = time.perf_counter()
    reps = 0
    while reps < max_reps and (reps < min_reps or time.perf_counter() - start < budget):
        for k in range(len(fns)):
            i = (k + reps) % len(fns)
            t0 = clock()
            fns[i]()
            times[i].append(clock() - t0)
        reps += 1
    return [statistics.median(t) for t in times], reps


def label(cell, B, T, D, H, layers, bi):
    extra = (" bi" if bi else "") + (f" L{layers}" if layers > 1 else "")
    return f"{cell:4s} ({B}, {T}, {D}, {H}){extra}"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="shorter time budget per row")
    ap.add_argument("--cells", default=",".join(CELLS), help="comma-separated subset of rnn,gru,lstm")
    ap.add_argument("--threads", type=int, default=1, help="numpy BLAS threads and torch threads (default 1)")
    ap.add_argument("--no-trace", action="store_true", help="skip the tracing measurement")
    ap.add_argument("--only-trace", action="store_true", help="only the tracing measurement")
    args = ap.parse_args(argv)

    import torch
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(args.threads, user_api="blas")
    except ImportError:                     # numpy then keeps its own thread count
        print("threadpoolctl is not installed (pip install threadpoolctl): numpy's BLAS threads are not set")
    threads, blas = blas_info()
    torch.set_num_threads(args.threads)
    env = {k: os.environ.get(k, "unset") for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    print(f"numpy {np.__version__} ({blas}); torch {torch.__version__}, set_num_threads({torch.get_num_threads()});"
          f" {', '.join(f'{k}={v}' for k, v in env.items())}")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus; float32, Adam, clip by norm {CLIP}, "
          f"softmax head O={O}")
    budget, min_reps, max_reps = (0.6, 5, 100) if args.quick else (2.0, 9, 400)
    clock = time.thread_time if args.threads == 1 else time.perf_counter
    print(f"clock: {'CPU time of the calling thread' if args.threads == 1 else 'wall time'}")

    cells = [c for c in args.cells.split(",") if c]
    head = f"{'model (B, T, D, H)':24s} {'torch ms':>9s} {'core ms':>9s} {'core/torch':>10s} {'trainer ms':>10s} {'trainer/torch':>13s} {'reps':>5s}"
    print()
    print(head)
    print("-" * len(head))
    for cell, B, T, D, H, layers, bi in ([] if args.only_trace else configs(cells)):
        x, y = make_data(B, T, D)
        cfg, core = core_setup(cell, B, T, D, H, layers, bi, x, y)
        trainer = trainer_setup(cfg, B, x, y)
        ref = torch_setup(cell, B, T, D, H, layers, bi, x, y)
        (tt, tc, tr), reps = interleave([ref, core, trainer], budget, min_reps, max_reps, clock)
        print(f"{label(cell, B, T, D, H, layers, bi):24s} {tt * 1e3:9.3f} {tc * 1e3:9.3f} {tc / tt:10.2f} "
              f"{tr * 1e3:10.3f} {tr / tt:13.2f} {reps:5d}", flush=True)

    if args.no_trace:
        return
    print()
    print("tracing the display example (N = 1) after every step vs never (Trainer.train_step):")
    for cell in cells:
        for B, T, D, H in SIZES[:3]:
            x, y = make_data(B, T, D)
            cfg, _ = core_setup(cell, B, T, D, H, 1, False, x, y)
            plain = trainer_setup(cfg, B, x, y, trace_every=0)
            traced = trainer_setup(cfg, B, x, y, trace_every=1)
            (tp, tt), reps = interleave([plain, traced], budget / 2, min_reps, max_reps, clock)
            per_s = min(30.0, 1.0 / tp)          # traces per second the app asks for, at most
            print(f"  {label(cell, B, T, D, H, 1, False):24s} step {tp * 1e3:8.3f} ms, traced {tt * 1e3:8.3f} ms:"
                  f" +{(tt / tp - 1) * 100:5.1f} % per traced step, +{per_s * (tt - tp) * 100:5.1f} % of"
                  f" training time at {per_s:.0f} traces/s", flush=True)


if __name__ == "__main__":
    main()
