"""The lesson player on its own (pytest-qt, offscreen): navigation, steps as signals,
the preset request, answers from a trained state, progress kept in QSettings."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from app.lessons import LessonPlayer
from rnncore.lessons import load_lessons
from rnncore.lessons.checks import run_preset

LESSONS = load_lessons()


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def player(qtbot, settings):
    p = LessonPlayer(LESSONS, "en", settings)
    qtbot.addWidget(p)
    return p


def test_next_and_back_walk_the_course(player, qtbot):
    assert player.current.number == 1 and player.title.text() == LESSONS[0].text("title")
    assert not player.back.isEnabled() and player.next.isEnabled()
    with qtbot.waitSignal(player.lesson_changed) as sig:
        player.next.click()
    assert sig.args == [2] and player.current.number == 2 and player.back.isEnabled()
    player.show_lesson(len(LESSONS))
    assert not player.next.isEnabled()
    player.show_lesson(len(LESSONS) + 1)          # out of range: ignored
    assert player.current.number == len(LESSONS)


def test_each_look_step_becomes_one_request(player, qtbot):
    seen = []
    player.panel_highlight_requested.connect(lambda p: seen.append(("highlight", p)))
    player.cursor_requested.connect(lambda t: seen.append(("cursor", t)))
    player.phase_requested.connect(lambda ph: seen.append(("phase", ph)))
    for lesson in LESSONS:
        player.show_lesson(lesson.number)
        seen.clear()
        for i, step in enumerate(lesson.look):
            player.do_step(i)
            want = {"highlight": ("highlight", step.get("panel")), "cursor": ("cursor", step.get("t")),
                    "phase": ("phase", step.get("phase"))}.get(step["do"])
            assert seen[-1:] == ([want] if want else []), (lesson.slug, i)
            seen.clear()
    player.show_lesson(3)                          # BPTT: the five phases in order
    phases = []
    player.phase_requested.connect(phases.append)
    for i in range(len(player.current.look)):
        player.do_step(i)
    assert phases == ["forward", "loss", "backprop", "clip", "update"]


def test_apply_sends_the_preset_and_the_model_to_race(player, qtbot):
    with qtbot.waitSignal(player.preset_requested) as sig:
        player.apply.click()
    assert sig.args[0].task == "names" and sig.args[1] is None
    player.show_lesson(7)
    with qtbot.waitSignal(player.preset_requested) as sig:
        player.apply.click()
    main, compare = sig.args
    assert main.model["cell"] == "lstm" and compare.model["cell"] == "rnn" and compare.task == "agreement"
    assert player.compare_note.isVisibleTo(player)


def test_answer_from_a_trained_state_and_progress_is_remembered(player, qtbot, settings):
    lm = next(l for l in LESSONS if l.question["check"] == "pear_beats_pair")
    player.show_lesson(lm.number)
    assert player.answer_from(None) is False and "Train the preset first" in player.answer.text()
    with qtbot.waitSignal(player.answer_requested) as sig:
        player.ask.click()
    assert sig.args == [lm.number]
    assert player.answer_from(run_preset(lm.preset)) is True
    assert "pear" in player.answer.text() and player.is_done(lm.number)
    player.do_step(1)
    settings.sync()
    again = LessonPlayer(LESSONS, "en", settings)
    qtbot.addWidget(again)
    assert again.current.number == lm.number and again.steps.currentRow() == 1
    assert again.is_done(lm.number) and "✓" in again.question_label.text()


def test_a_two_model_lesson_waits_for_both(player):
    player.show_lesson(12)
    assert player.current.compare is not None
    assert player.answer_from(object(), None) is False


def test_chinese(player, settings, qtbot, chinese):
    # the interface's language installed (as --lang zh_CN or View › Language do): the lesson follows it
    qtbot.waitUntil(lambda: player.lang == "zh_CN")
    assert player.title.text() == LESSONS[0].text("title", "zh_CN") and player.next.text().startswith("下一课")
    player.show_lesson(11)
    assert "遗忘门" in player.paragraphs.text()
    assert "第 11 课" in player.section.text()
