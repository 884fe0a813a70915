"""The interface in English and Simplified Chinese (app/i18n.py, resources/translations/):
every message translated, the committed .qm compiled from the committed .ts, the .ts up to
date with the code, the notes' symbols kept, the language chosen, switched live and remembered."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QSettings

from app import i18n

ROOT = Path(__file__).resolve().parents[1]
TS = ROOT / "resources" / "translations" / "rnnscope_zh_CN.ts"
QM = ROOT / "app" / "translations" / "rnnscope_zh_CN.qm"
#: the notes' symbols: a text that has one must keep it in Chinese
SYMBOLS = ("a<t>", "c<t>", "x<t>", "ŷ", "Γu", "Γr", "Γf", "Γo", "c̃", "T_x", "‖g‖", "α")


def messages(path=TS):
    """[(context, source, translation element)] of a .ts file."""
    root = ET.parse(path).getroot()
    return [(c.findtext("name"), m.findtext("source"), m.find("translation"))
            for c in root.iter("context") for m in c.iter("message")]


def tool(name):
    exe = Path(sys.executable).parent / name
    return str(exe) if exe.exists() else shutil.which(name)


def test_no_unfinished_translations():
    msgs = messages()
    assert len(msgs) > 300
    left = [(c, s) for c, s, t in msgs if t is None or t.get("type") in ("unfinished", "vanished", "obsolete")
            or not (t.text or "").strip()]
    assert left == []


def test_placeholders_and_the_notes_symbols_survive_translation():
    for ctx, src, t in messages():
        assert sorted(re.findall(r"\{\w*\}", src)) == sorted(re.findall(r"\{\w*\}", t.text)), (ctx, src)
        for sym in SYMBOLS:
            assert src.count(sym) <= t.text.count(sym), (ctx, src, sym)


@pytest.mark.skipif(tool("pyside6-lrelease") is None, reason="needs pyside6-lrelease")
def test_committed_qm_is_compiled_from_the_committed_ts(tmp_path):
    out = tmp_path / "x.qm"
    subprocess.run([tool("pyside6-lrelease"), str(TS), "-qm", str(out)], check=True, capture_output=True)
    assert out.read_bytes() == QM.read_bytes(), "run `make translations` and commit the .qm"


@pytest.mark.skipif(tool("pyside6-lupdate") is None, reason="needs pyside6-lupdate")
def test_every_string_of_the_code_is_in_the_ts(tmp_path):
    """lupdate over app/ finds nothing new (a string wrapped since, without its Chinese, fails here)."""
    ts = tmp_path / "x_zh_CN.ts"
    shutil.copy(TS, ts)
    sources = sorted(str(p) for p in (ROOT / "app").rglob("*.py"))
    subprocess.run([tool("pyside6-lupdate"), *sources, "-ts", str(ts), "-no-obsolete", "-locations", "none"],
                   check=True, capture_output=True)
    fresh = {(c, s) for c, s, t in messages(ts)}
    assert fresh == {(c, s) for c, s, _ in messages()}, "run `make translations`, translate, commit"


def test_every_task_title_and_lesson_is_marked_for_translation():
    """The tasks (rnncore, no Qt) are translated through app/window/task_words.py's marks: a task
    added or reworded there without a mark would be the one English line in a Chinese window."""
    from app.window.dialogs import visible_tasks
    marked = {s for c, s, _ in messages() if c == "Task"}
    for name, cls in visible_tasks().items():
        assert cls.title in marked and cls.lesson in marked, name


def test_the_language_is_the_flag_then_the_setting_then_the_system(tmp_path, monkeypatch):
    assert i18n.system_lang(QLocale("zh_TW")) == "zh_CN" and i18n.system_lang(QLocale("de_DE")) == "en"
    s = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    monkeypatch.setattr(i18n, "system_lang", lambda: "zh_CN")
    assert i18n.choose(s) == "zh_CN"                        # nothing remembered: the system's
    s.setValue("lessons/lang", "en")                        # what the lessons remembered before
    assert i18n.choose(s) == "en"
    assert i18n.choose(s, "zh_CN") == "zh_CN" and s.value("lang") == "zh_CN"   # the flag, remembered
    assert i18n.choose(s) == "zh_CN"


def test_chinese_translates_a_text_and_english_restores_it(qapp):
    from PySide6.QtCore import QCoreApplication
    try:
        assert i18n.install("zh_CN", qapp) and i18n.current() == "zh_CN"
        assert QCoreApplication.translate("Menu", "&File") == "文件(&F)"
    finally:
        i18n.install("en", qapp)
    assert QCoreApplication.translate("Menu", "&File") == "&File" and i18n.current() == "en"


# -- the window ------------------------------------------------------------------------------
@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def make_window(qtbot, settings):
    from app.window.main_window import MainWindow
    win = MainWindow("thread", settings=settings)
    qtbot.addWidget(win)
    win.show()
    return win


def menu_titles(win):
    return [a.text() for a in win._menu_bar.actions()]


def test_chinese_window_then_switching_back_to_english_live(qtbot, settings, qapp):
    from app.gui import use_language
    from app.window.chrome import switch_language
    try:
        assert use_language(settings, "zh_CN") == "zh_CN"          # as `rnnscope --lang zh_CN` does
        win = make_window(qtbot, settings)
        assert menu_titles(win) == ["文件(&F)", "训练(&T)", "视图(&V)", "帮助(&H)"]
        titles = {i: d.windowTitle() for i, d in zip(win.dock_ids, win.docks)}
        assert titles["gates"] == "门 Γ<t>" and titles["memory"] == "记忆细胞 c<t>，隐藏 a<t>"
        assert all(re.search(r"[\u4e00-\u9fff]", t) for t in titles.values()), titles
        assert win.toolbar.play_action.text() == "▶ 播放"

        switch_language(win, "en")                                  # View › Language › English
        qtbot.waitUntil(lambda: menu_titles(win)[0] == "&File")
        assert menu_titles(win) == ["&File", "&Training", "&View", "&Help"]
        assert win.dock_set.docks[win.dock_ids.index("gates")].windowTitle() == "Gates Γ<t>"
        qtbot.waitUntil(lambda: win.toolbar.play_action.text() == "▶ Play")
        assert settings.value("lang") == "en"                       # remembered for the next start
        assert i18n.choose(settings) == "en"

        switch_language(win, "zh_CN")
        qtbot.waitUntil(lambda: menu_titles(win)[0] == "文件(&F)")
        checked = [a.text() for a in win.language_menu.actions() if a.isChecked()]
        assert checked == ["中文"] and settings.value("lang") == "zh_CN"
        win.close()
    finally:
        i18n.install("en", qapp)
