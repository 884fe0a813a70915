"""Issue 10's bad inputs and faults, from outside: the rnnscope command refuses each with
exit 2, at most two lines on stderr and no traceback, under a 3 GB address-space limit
(so a file read whole or a model allocated would fail the test, not the machine).
Times are printed by bench/hardening_check.py, never asserted here."""
from __future__ import annotations

import errno
import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from hardening_cases import make_cases
from rnncore.runs import RunFileError, load_run, save_run
from rnncore.tasks import make_task
from rnncore.trainer import Trainer

ROOT = Path(__file__).resolve().parents[1]
AS_LIMIT = 3_000_000 * 1024           # ulimit -v 3000000


def _limited():
    resource.setrlimit(resource.RLIMIT_AS, (AS_LIMIT, AS_LIMIT))


def rnnscope(*argv, **kw):
    return subprocess.run([sys.executable, "-m", "app.cli", *map(str, argv)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, preexec_fn=_limited, stdin=subprocess.DEVNULL, **kw)


def assert_refused(p, *needles):
    lines = p.stderr.splitlines()
    assert p.returncode == 2, p.stderr
    assert 1 <= len(lines) <= 2 and "Traceback" not in p.stderr, p.stderr
    for n in needles:
        assert n in p.stderr, p.stderr


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    return make_cases(tmp_path_factory.mktemp("cases"))


NEEDLES = {
    "fifo --run": ["named pipe"], "fifo --resume": ["named pipe"], "fifo --input (eval)": ["--input", "named pipe"],
    "fifo --input (trace)": ["--input", "named pipe"], "/dev/zero --run": ["/dev/zero", "device"],
    "symlink to /dev/zero": ["zero.npz", "device"], "directory --input": ["is a directory"],
    "deep JSON metadata": ["deep.npz", "nests too deeply"], "step 10**30 --resume": ["huge_int.npz", "step must be"],
    "optimizer step 2**70": ["huge_opt.npz", "optimizer step must be"],
    "3 GiB sparse text": ["sparse.txt", "over the limit"], "3 GiB sparse .npy": ["sparse.npy", "over the limit"],
    "zip bomb .npz input": ["bomb.npz", "uncompressed"], "zero-filled .npz input": ["not an .npz archive"],
    "complex .npy input": ["real numbers"], "oversized model": ["would need about", "GiB", "--hidden"],
    "unwritable --out": ["--out", "is not a directory"],
}


@pytest.mark.parametrize("name", sorted(NEEDLES))
def test_bad_input_is_one_line_exit_2_in_bounded_memory(cases, name):
    assert_refused(rnnscope(*cases[name]), *NEEDLES[name])


def test_cases_and_needles_agree(cases):
    assert set(cases) == set(NEEDLES)


@pytest.fixture
def immutable_dir(tmp_path):
    """A directory nobody may write in, root included (chattr +i; root ignores chmod)."""
    d = tmp_path / "locked"
    d.mkdir()
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(d)], capture_output=True).returncode:
        pytest.skip("chattr +i is not available here")
    yield d
    subprocess.run(["chattr", "-i", str(d)], capture_output=True)


def test_unwritable_out_is_found_before_training(immutable_dir):
    p = rnnscope("train", "--task", "adding", "--steps", "100000", "--out", immutable_dir / "x.npz", "--quiet")
    assert_refused(p, "--out", "cannot write in", "locked")


def _trainer(task_name="names"):
    task = make_task(task_name)
    return Trainer.create(task.model_config(hidden_size=3), task.train_config(batch_size=2), task), task


def test_a_failed_save_keeps_the_trained_run_and_names_the_users_path(tmp_path, monkeypatch, capsys):
    """The disk fills up during the save after training: the run goes to a fallback file."""
    import rnncore.runs
    from app import cli
    out = tmp_path / "r.npz"
    real = rnncore.runs.write_npz_atomic

    def full(path, arrays):
        if Path(path) == out:
            raise OSError(errno.ENOSPC, "cannot save (No space left on device)", str(path))
        return real(path, arrays)
    monkeypatch.setattr(rnncore.runs, "write_npz_atomic", full)
    code = cli.main(["train", "--task", "names", "--hidden", "3", "--steps", "4", "--quiet", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and len(err.splitlines()) == 1 and str(out) in err and "No space left" in err
    rescued = err.split("was saved to ")[1].split(" instead")[0]
    assert Path(rescued).parent == tmp_path and not out.exists()
    assert load_run(rescued).step == 4


def test_save_errors_name_the_users_file_not_the_temporary_one(tmp_path, monkeypatch):
    import rnncore.fileio
    tr, task = _trainer()
    monkeypatch.setattr(rnncore.fileio.os, "replace",
                        lambda a, b: (_ for _ in ()).throw(OSError(errno.EPERM, "Operation not permitted", a)))
    with pytest.raises(OSError) as e:
        save_run(tmp_path / "r.npz", tr, task)
    assert e.value.filename == str(tmp_path / "r.npz") and ".tmp" not in str(e.value)
    assert not list(tmp_path.iterdir())


def test_run_files_respect_the_umask_and_keep_an_existing_mode(tmp_path):
    tr, task = _trainer()
    old = os.umask(0o027)
    try:
        p = save_run(tmp_path / "r.npz", tr, task)
        assert (p.stat().st_mode & 0o777) == 0o640
        os.chmod(p, 0o644)
        save_run(p, tr, task)                 # resuming into a 0644 file keeps it 0644
        assert (p.stat().st_mode & 0o777) == 0o644
    finally:
        os.umask(old)


def _altered(tmp_path, name, **changes) -> Path:
    tr, task = _trainer()
    p = save_run(tmp_path / "good.npz", tr, task)
    with np.load(p, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    meta = json.loads(arrays["__meta__"].tobytes())
    for k, v in changes.items():
        target, key = (meta[k.split("__")[0]], k.split("__")[1]) if "__" in k else (meta, k)
        target[key] = v
    arrays["__meta__"] = np.frombuffer(json.dumps(meta).encode(), np.uint8)
    out = tmp_path / name
    np.savez(out, **arrays)
    return out


@pytest.mark.parametrize("change,needle", [
    ({"history__stride": 0}, "history stride"),
    ({"history__stride": -4}, "history stride"),
    ({"history__n": 10**30}, "history n"),
    ({"task__options": {"distance": "far"}}, "option"),
])
def test_run_file_values_out_of_range_name_the_file(tmp_path, change, needle):
    p = _altered(tmp_path, "bad.npz", **change)
    with pytest.raises(RunFileError) as e:
        load_run(p).make_task()
    assert str(p) in str(e.value) and needle in str(e.value)


def test_nan_in_the_optimizer_state_stops_training_with_the_last_finite_pair():
    from rnncore.optim import state_arrays
    tr, _ = _trainer()
    tr.train_step()
    before = {k: v.copy() for k, v in tr.model.params.items()}
    opt_before = {k: v.copy() for k, v in state_arrays(tr.optimizer).items()}
    real = tr.optimizer.step

    def poisoned(grads):                      # the weights stay finite, a moment does not
        real(grads)
        next(iter(tr.optimizer.state["v"].values()))[0] = np.inf
    tr.optimizer.step = poisoned
    snap = tr.train_step()
    assert not snap.ok and "optimizer" in snap.diverged and tr.step == 1
    for k, v in tr.model.params.items():
        np.testing.assert_array_equal(v, before[k])
    for k, v in state_arrays(tr.optimizer).items():
        np.testing.assert_array_equal(v, opt_before[k])


def test_character_outputs_are_printed_as_the_task_writes_them(tmp_path, capsys):
    from app import cli
    run = tmp_path / "d.npz"
    assert cli.main(["train", "--task", "dates", "--hidden", "3", "--steps", "1", "--quiet", "--out", str(run)]) == 0
    f = tmp_path / "in.txt"
    f.write_text("26 nov 2026\n")
    capsys.readouterr()
    assert cli.main(["eval", "--run", str(run), "--input", str(f)]) == 0
    pred = capsys.readouterr().out.split("→ ")[1].split("   (")[0].strip()
    assert len(pred) == 10 and " " not in pred, pred          # '2026-11-26', not '2 0 2 6 - 1 1 - 2 6'


def test_option_without_a_key_is_named_as_such(capsys):
    from app import cli
    assert cli.main(["train", "--task", "names", "--option", "=", "--out", "x.npz"]) == 2
    assert "--option must be KEY=VALUE, got '='" in capsys.readouterr().err


def test_installed_command_is_not_shadowed_by_another_projects_app(tmp_path):
    """A folder with its own app/ on PYTHONPATH once broke the command ('No module named app.cli')."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    p = subprocess.run([sys.executable, str(ROOT / "rnnscope_launch.py"), "tasks", "--json"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert any(r["name"] == "names" for r in json.loads(p.stdout))


def test_screenshot_leaves_no_settings_folder_and_no_qt_chatter(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TMPDIR=str(tmp_path))
    out = tmp_path / "shot.png"
    p = subprocess.run([sys.executable, "-m", "app.cli", "--task", "names", "--hidden", "3", "--steps", "2",
                        "--thread", "--screenshot", str(out), "--size", "800x600"], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert out.exists()
    assert not [d for d in tmp_path.iterdir() if d.name.startswith("rnnscope-")]
    assert "propagateSizeHints" not in p.stderr and "RuntimeWarning" not in p.stderr, p.stderr


def test_gradient_flow_norms_near_a_divergence_warn_nothing():
    """‖∂L/∂a<t>‖ of 1e200-sized flows once printed 'overflow encountered in square'."""
    import warnings
    from app.panels.flow import _row_norms
    g = np.array([[3.0, 4.0], [1e200, 1e200], [np.inf, 1.0], [np.nan, 1.0], [0.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        n = _row_norms(g)
    np.testing.assert_allclose(n[:2], [5.0, np.sqrt(2) * 1e200])
    assert n[2] == np.inf and np.isnan(n[3]) and n[4] == 0


def test_the_windows_trace_export_has_the_commands_layout(tmp_path):
    from app import exporting
    from rnncore import Batch, ModelConfig
    from rnncore.model import Model
    model = Model(ModelConfig(input_size=2, hidden_size=3), 0)
    tr = model.trace(Batch(np.zeros((1, 4, 2)), np.zeros((1, 4, 1)))).select(0)
    with np.load(exporting.export_trace_npz(tr, tmp_path / "t.npz")) as z:
        assert z["rnn.l0.fwd.a"].shape == (1, 4, 3) and z["outputs"].shape == (1, 4, 1)
        assert json.loads(str(z["meta"]))["layout"] == "batch-first"


def test_a_full_disk_is_found_before_training(tmp_path, monkeypatch, capsys):
    import rnncore.fileio
    from app import cli
    real = os.statvfs
    monkeypatch.setattr(rnncore.fileio.os, "statvfs",
                        lambda p: os.statvfs_result((4096, 4096, 10**6, 0, 3, 10**5, 0, 0, 0, 255))
                        if str(p) == str(tmp_path) else real(p))
    code = cli.main(["train", "--task", "names", "--steps", "100000", "--quiet", "--out", str(tmp_path / "r.npz")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "free in" in err and "needed" in err, err
    assert not list(tmp_path.iterdir())
