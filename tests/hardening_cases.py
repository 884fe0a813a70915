"""The bad files and flags of issue 10 that the rnnscope command must refuse with exit 2,
at most two lines on stderr and no traceback, quickly and with bounded memory.

Shared by tests/test_hardening_cli.py (asserts the outcome) and bench/hardening_check.py
(also prints the times, under a 3 GB address-space limit)."""
from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import numpy as np

SPARSE_BYTES = 3 << 30          # a 3 GiB file that costs no disk


def _run_file(tmp: Path) -> Path:
    from rnncore.runs import save_run
    from rnncore.tasks import make_task
    from rnncore.trainer import Trainer
    task = make_task("dates")
    tr = Trainer.create(task.model_config(hidden_size=3), task.train_config(batch_size=2), task)
    return save_run(tmp / "good.npz", tr, task)


def _with_meta(src: Path, dst: Path, meta_bytes: bytes) -> Path:
    with np.load(src, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["__meta__"] = np.frombuffer(meta_bytes, np.uint8)
    np.savez(dst, **arrays)
    return dst


def make_cases(tmp: Path) -> dict[str, list[str]]:
    """name → argv of `rnnscope` (files created under ``tmp``)."""
    tmp = Path(tmp)
    good = _run_file(tmp)
    with np.load(good, allow_pickle=False) as z:
        meta = json.loads(z["__meta__"].tobytes())
    fifo = tmp / "fifo.npz"
    os.mkfifo(fifo)
    fifo_txt = tmp / "fifo.txt"
    os.mkfifo(fifo_txt)
    link = tmp / "zero.npz"
    link.symlink_to("/dev/zero")
    deep = _with_meta(good, tmp / "deep.npz", b"[" * 200_000 + b"]" * 200_000)
    huge = dict(meta, step=10**30)
    huge_int = _with_meta(good, tmp / "huge_int.npz", json.dumps(huge).encode())
    opt = dict(meta, optimizer={"kind": meta["train_config"]["optimizer"], "step": 2**70})
    huge_opt = _with_meta(good, tmp / "huge_opt.npz", json.dumps(opt).encode())
    sparse_txt = tmp / "sparse.txt"
    sparse_npy = tmp / "sparse.npy"
    with open(sparse_txt, "wb") as f:
        f.truncate(SPARSE_BYTES)
    with open(sparse_npy, "wb") as f:
        np.lib.format.write_array_header_1_0(f, {"descr": "<f8", "fortran_order": False,
                                                 "shape": (SPARSE_BYTES // 8 // 16, 1, 16)})
        f.truncate(SPARSE_BYTES)
    bomb = tmp / "bomb.npz"             # 130 KB that would inflate to 128 MiB (the trick scales to any size)
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("x.npy", "w", force_zip64=True) as f:
            np.lib.format.write_array_header_1_0(f, {"descr": "<f8", "fortran_order": False,
                                                     "shape": (1 << 20, 1, 16)})
            block = bytes(1 << 20)
            for _ in range(128):
                f.write(block)
    zeros = tmp / "zeros.npz"
    zeros.write_bytes(bytes(4096))
    cplx = tmp / "complex.npy"
    np.save(cplx, np.ones((1, 3, 16), np.complex128))
    blocker = tmp / "a-file"
    blocker.write_text("not a directory")
    out = str(tmp / "o.npz")
    return {
        "fifo --run": ["eval", "--run", str(fifo)],
        "fifo --resume": ["train", "--resume", str(fifo), "--quiet"],
        "fifo --input (eval)": ["eval", "--run", str(good), "--input", str(fifo_txt)],
        "fifo --input (trace)": ["trace", "--run", str(good), "--input", str(fifo), "--out", out],
        "/dev/zero --run": ["eval", "--run", "/dev/zero"],
        "symlink to /dev/zero": ["eval", "--run", str(link)],
        "directory --input": ["eval", "--run", str(good), "--input", str(tmp)],
        "deep JSON metadata": ["eval", "--run", str(deep)],
        "step 10**30 --resume": ["train", "--resume", str(huge_int), "--quiet"],
        "optimizer step 2**70": ["train", "--resume", str(huge_opt), "--quiet"],
        "3 GiB sparse text": ["eval", "--run", str(good), "--input", str(sparse_txt)],
        "3 GiB sparse .npy": ["trace", "--run", str(good), "--input", str(sparse_npy), "--out", out],
        "zip bomb .npz input": ["trace", "--run", str(good), "--input", str(bomb), "--out", out],
        "zero-filled .npz input": ["trace", "--run", str(good), "--input", str(zeros), "--out", out],
        "complex .npy input": ["trace", "--run", str(good), "--input", str(cplx), "--out", out],
        "oversized model": ["train", "--task", "adding", "--hidden", "8192", "--layers", "16", "--out", out,
                            "--quiet"],
        "unwritable --out": ["train", "--task", "adding", "--steps", "1", "--out", str(blocker / "x.npz"),
                             "--quiet"],
    }
