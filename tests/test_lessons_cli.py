"""``rnnscope lessons`` and the lesson loader's errors (no Qt)."""
from __future__ import annotations

import json

import pytest

from app.cli import main
from rnncore.config import ConfigError
from rnncore.lessons import CONTENT, lesson, load_lessons


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_lessons_lists_one_line_per_lesson(capsys):
    code, out, _ = run(capsys, "lessons")
    lines = out.splitlines()
    assert code == 0 and len(lines) == len(load_lessons()) >= 12
    assert lines[0].split()[0] == "1" and "§1.1" in lines[0] and "Notation" in lines[0]
    assert "§2.4" in lines[-1]


def test_lessons_in_chinese(capsys):
    code, out, _ = run(capsys, "lessons", "--lang", "zh_CN")
    assert code == 0 and "符号表示" in out and "遗忘门" in out
    # columns line up: the section starts at the same display column on every line
    from app.cli_lessons import _columns
    cols = {_columns(line[:line.index("§")]) for line in out.splitlines()}
    assert len(cols) == 1


def test_lessons_json_and_bad_language(capsys):
    code, out, _ = run(capsys, "lessons", "--json")
    rows = json.loads(out)
    assert code == 0 and rows[0]["preset"].startswith("--task names")
    code, _, err = run(capsys, "lessons", "--lang", "fr")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "zh_CN" in err


def test_lesson_number_out_of_range_is_one_clear_error():
    with pytest.raises(ConfigError, match=r"lesson must be in 1\.\.\d+, got 99"):
        lesson(99)


def test_a_bad_lesson_file_names_the_lesson_and_field(tmp_path):
    good = json.loads(sorted(CONTENT.glob("*.json"))[0].read_text("utf-8"))
    bad = dict(good, title={"en": "only English"})
    (tmp_path / "01_x.json").write_text(json.dumps(bad), "utf-8")
    with pytest.raises(ConfigError, match=r"lesson 1 \(x\) title must have texts in en and zh_CN"):
        load_lessons(tmp_path)
    bad = dict(good, look=[{"do": "highlight", "panel": "nowhere", "text": good["look"][0]["text"]}])
    (tmp_path / "01_x.json").write_text(json.dumps(bad), "utf-8")
    with pytest.raises(ConfigError, match="panel must be one of"):
        load_lessons(tmp_path)
    (tmp_path / "01_x.json").write_text("{not json", "utf-8")
    with pytest.raises(ConfigError, match="lesson file 01_x.json"):
        load_lessons(tmp_path)
    (tmp_path / "01_x.json").write_text(json.dumps({k: v for k, v in good.items() if k != "preset"}), "utf-8")
    with pytest.raises(ConfigError, match="needs a section and a preset with a task"):
        load_lessons(tmp_path)
