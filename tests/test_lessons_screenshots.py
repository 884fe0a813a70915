"""The contract of issue 12: ``rnnscope --lesson N --steps S --screenshot out.png`` (offscreen)
renders lesson N after S steps of its preset, for every lesson, in English and in Chinese.
The real command in child processes, a few at a time (S is small: this checks the wiring, the
lessons' claims are tests/test_lessons_claims.py)."""
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rnncore.lessons import LANGS, load_lessons

ROOT = Path(__file__).resolve().parents[1]
STEPS = 2


def shoot(n, lang, out):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    cmd = [sys.executable, str(ROOT / "main.py"), "--lesson", str(n), "--lang", lang, "--steps", str(STEPS),
           "--screenshot", str(out), "--thread", "--size", "1366x768"]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=180)


def test_every_lesson_renders_in_both_languages(tmp_path):
    jobs = [(l.number, lang, tmp_path / f"lesson{l.number}_{lang}.png") for l in load_lessons() for lang in LANGS]
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda j: shoot(*j), jobs))
    for (n, lang, out), r in zip(jobs, results):
        assert r.returncode == 0, f"lesson {n} {lang}: {r.stderr[-800:]}"
        assert f"(step {STEPS})" in r.stdout and out.stat().st_size > 10_000, (n, lang, r.stdout)


def test_a_lesson_that_does_not_exist_is_said(tmp_path):
    r = shoot(99, "en", tmp_path / "x.png")
    assert r.returncode == 2 and "lesson must be in 1.." in r.stderr and not (tmp_path / "x.png").exists()
