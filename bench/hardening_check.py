"""The fault cases of issue 10, run as a user would: each must exit 2 with at most two
lines on stderr, no traceback, within 15 s, under a 3 GB address-space limit.

    .venv/bin/python bench/hardening_check.py        # prints one line per case, wall and CPU seconds

tests/test_hardening_cli.py asserts the same outcomes (never the times); this script
prints the times.
"""
from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 3_000_000 * 1024          # ulimit -v 3000000 (KiB)


def _limit():
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def cases(tmp: Path) -> dict[str, list[str]]:
    sys.path.insert(0, str(ROOT))
    from tests.hardening_cases import make_cases       # the same files the tests use
    found = make_cases(tmp)
    locked = tmp / "locked"                             # root ignores chmod; chattr +i binds it too
    locked.mkdir()
    if subprocess.run(["chattr", "+i", str(locked)], capture_output=True).returncode == 0:
        found["read-only --out dir"] = ["train", "--task", "adding", "--out", str(locked / "x.npz"), "--quiet"]
    return found


def main() -> int:
    bad = 0
    with tempfile.TemporaryDirectory(prefix="rnnscope-check-") as d:
        for name, argv in cases(Path(d)).items():
            t0, r0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
            try:
                p = subprocess.run([sys.executable, "-m", "app.cli", *argv], cwd=ROOT, capture_output=True,
                                   text=True, timeout=20, preexec_fn=_limit, stdin=subprocess.DEVNULL)
            except subprocess.TimeoutExpired:
                print(f"BAD {name:<22} still running after 20 s (killed)")
                bad += 1
                continue
            wall = time.perf_counter() - t0
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
            lines = p.stderr.splitlines()
            ok = p.returncode == 2 and len(lines) <= 2 and "Traceback" not in p.stderr and wall < 15
            bad += not ok
            print(f"{'ok ' if ok else 'BAD'} {name:<22} exit {p.returncode}  {wall:5.2f} s wall  {cpu:5.2f} s CPU  "
                  f"{lines[-1] if lines else ''}"[:220])
        subprocess.run(["chattr", "-i", str(Path(d) / "locked")], capture_output=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
