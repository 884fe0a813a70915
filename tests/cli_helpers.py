"""What the rnnscope command's tests share: run the command in-process, check a usage error, train a tiny run."""
from pathlib import Path

from app import cli

FIX = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def assert_usage_error(code, err, *needles):
    assert code == 2
    assert "Traceback" not in err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    for n in needles:
        assert n in lines[0], lines[0]


def train(capsys, tmp_path, name="r.npz", *extra, steps=6):
    path = tmp_path / name
    code, out, err = run(capsys, "train", "--task", "_tiny", "--steps", steps, "--seed", 1, "--out", path, *extra)
    assert code == 0, err
    return path
