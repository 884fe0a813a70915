"""Atomic saves, proven: a process saving a run over and over is SIGKILLed at random
moments; after every kill the run file still loads (the previous or the new save,
never a mixture), and whatever the kill left behind never stops a later save.

A kill between the temporary file's creation and the rename leaves that hidden
``.<name>.npz.<random>.tmp`` file behind (rnncore.runs documents this); it is
never read, and the next save writes a fresh one.
"""
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from rnncore import Batch, ModelConfig, TrainConfig
from rnncore.runs import RunFileError, load_run, save_run
from rnncore.trainer import Trainer

ROOT = Path(__file__).resolve().parents[1]
KILLS = 20

# The saving process: a model big enough that a save (np.savez + fsync) takes a few
# milliseconds, so random kills land in every phase of it. It prints each step saved.
CHILD = r"""
import sys, numpy as np
from rnncore import Batch, ModelConfig, TrainConfig
from rnncore.runs import load_run, save_run
from rnncore.trainer import Trainer
path = sys.argv[1]
cfg = ModelConfig(cell="lstm", input_size=64, hidden_size=320, output_size=2, shape="many-to-one")
x = np.random.default_rng(0).standard_normal((8, 4, 64))
data = Batch(x, np.zeros((8, 2)))
tc = TrainConfig(seed=1, batch_size=2, lr=1e-4)
try:
    trainer = load_run(path).make_trainer(source=data)      # continue where the last process was killed
except Exception:
    trainer = Trainer.create(cfg, tc, data)
while True:
    trainer.train_step()
    save_run(path, trainer)
    print(trainer.step, flush=True)
"""


def _spawn(path):
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=str(ROOT))


def _junk(directory: Path, name: str):
    return sorted(p.name for p in directory.iterdir() if p.name != name)


def test_killed_saves_leave_the_previous_file_loadable(tmp_path):
    path = tmp_path / "run.npz"
    rng = random.Random(20261126)
    saved_steps = []
    killed_mid_write = 0
    last_loaded = leftovers_before = 0
    for k in range(KILLS):
        child = _spawn(path)
        try:
            first = child.stdout.readline()           # one complete save by this process
            assert first.strip().isdigit(), child.stderr.read()
            time.sleep(rng.uniform(0.0, 0.25))
            child.send_signal(signal.SIGKILL)
            out, _ = child.communicate(timeout=10)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
        steps = [int(s) for s in (first + out).split()]
        saved_steps += steps
        temps = _junk(tmp_path, path.name)
        killed_mid_write += len(temps) > leftovers_before
        leftovers_before = len(temps)
        for n in temps:                                # only the documented kind of leftover
            assert n.startswith(".run.npz.") and n.endswith(".tmp"), n
        run = load_run(path)                           # never a partial file
        assert run.step >= steps[-1], "a completed save was lost"
        assert run.step <= steps[-1] + 1, "the file holds a save that was never completed"
        assert run.step >= last_loaded
        last_loaded = run.step
    assert killed_mid_write >= 1, "no kill landed inside a save: the test proved nothing; make saves longer"
    # leftovers never confuse a later save, and a fresh process continues the run
    leftovers = _junk(tmp_path, path.name)
    x = np.random.default_rng(0).standard_normal((8, 4, 64))
    trainer = load_run(path).make_trainer(source=Batch(x, np.zeros((8, 2))))
    trainer.train_step()
    save_run(path, trainer)
    assert load_run(path).step == last_loaded + 1
    assert _junk(tmp_path, path.name) == leftovers, "a save removed or added files other than its own"
    print(f"{KILLS} kills, {killed_mid_write} inside a save (temporary file left), {len(saved_steps)} saves")


def test_a_failed_save_leaves_nothing_behind(tmp_path, monkeypatch):
    """A save that fails with an exception (not a kill) removes its temporary file."""
    cfg = ModelConfig(cell="gru", input_size=2, hidden_size=3, output_size=1)
    trainer = Trainer.create(cfg, TrainConfig(seed=0), Batch(np.zeros((2, 3, 2)), np.zeros((2, 3, 1))))
    save_run(tmp_path / "run.npz", trainer)

    def full_disk(*a, **k):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space"):
        save_run(tmp_path / "run.npz", trainer)
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.npz"]
    load_run(tmp_path / "run.npz")
    with pytest.raises(RunFileError, match="does not exist"):
        save_run(tmp_path / "missing" / "run.npz", trainer)
