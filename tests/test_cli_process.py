"""rnnscope as a real process: exit codes, Ctrl-C, the console script (split from test_cli.py)."""
import json
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from app import cli
from rnncore.runs import load_run
from rnncore.tasks import TASKS
from cli_helpers import ROOT


# -- as a real process ---------------------------------------------------------------------------
def _cli(*argv, **kw):
    return subprocess.run([sys.executable, "-m", "app.cli", *map(str, argv)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, **kw)


def test_subprocess_bad_value_exit_2_without_traceback(tmp_path):
    p = _cli("train", "--task", "adding", "--hidden", "-3", "--out", tmp_path / "x.npz")
    assert p.returncode == 2 and p.stderr.count("\n") == 1 and "Traceback" not in p.stderr
    assert "--hidden" in p.stderr
    p = _cli("eval", "--run", tmp_path / "missing.npz")
    assert p.returncode == 2 and p.stderr.strip() == f"rnnscope eval: error: run file '{tmp_path / 'missing.npz'}': no such file"


def test_subprocess_ctrl_c_saves_and_resumes(tmp_path):
    if "adding" not in TASKS:
        pytest.skip("the adding task is not available")
    out = tmp_path / "r.npz"
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "train", "--task", "adding", "--length", "8",
                             "--hidden", "4", "--steps", "1000000", "--out", str(out)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        buf = ""
        while "loss=" not in buf:           # steps are being taken (read() returns '' if the process ended)
            ch = proc.stderr.read(1)
            assert ch, f"the process ended before training: {buf}"
            buf += ch
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    r = load_run(out)
    assert r.step > 0 and r.info["interrupted"] is True
    p = _cli("train", "--resume", out, "--steps", "2", "--quiet")
    assert p.returncode == 0 and load_run(out).step == r.step + 2


def test_installed_console_script(tmp_path):
    exe = Path(sys.executable).parent / "rnnscope"
    if not exe.exists():
        pytest.skip("the rnnscope script is not installed in this environment")
    p = subprocess.run([str(exe), "tasks", "--json"], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0 and isinstance(json.loads(p.stdout), list)
    p = subprocess.run([str(exe), "train", "--task", "adding", "--lr", "0", "--out", str(tmp_path / "x.npz")],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 2 and p.stderr == "rnnscope train: error: argument --lr: must be a number > 0.0 and " \
                                             "<= 1000.0, got '0' (see rnnscope train --help)\n"


def test_cli_trace_names_the_input_file_when_its_array_is_refused(tmp_path):
    import contextlib
    import io
    from app.cli import main
    from rnncore.runs import save_run
    from rnncore.tasks import make_task
    from rnncore.trainer import Trainer
    task = make_task("names")
    tr = Trainer.create(task.model_config(hidden_size=3), task.train_config(batch_size=4), task)
    run = save_run(tmp_path / "r.npz", tr, task)
    inp = tmp_path / "x.npy"
    np.save(inp, np.zeros(()))
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["trace", "--run", str(run), "--input", str(inp), "--out", str(tmp_path / "o.npz")])
    assert code == 2
    assert str(inp) in err.getvalue(), err.getvalue()


def test_cli_nonlinearity_choices_are_the_importers():
    from rnncore.torch_import import NONLINEARITIES
    assert cli.NONLINEARITIES == NONLINEARITIES
