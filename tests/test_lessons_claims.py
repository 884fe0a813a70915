"""Every observation a lesson promises is checked: each lesson's preset is trained for
its step budget (no Qt) and its question's check must come out as the text says.

A lesson whose claim stops holding fails here. Presets are small on purpose (a student
sees the effect within seconds); runs shared by two lessons are trained once.
"""
from __future__ import annotations

import json
import string
from dataclasses import asdict
from functools import lru_cache

import pytest

from rnncore.lessons import LANGS, Preset, load_lessons
from rnncore.lessons.checks import answer, run_preset

LESSONS = load_lessons()


@lru_cache(maxsize=None)
def _run(key: str):
    return run_preset(Preset(**json.loads(key)))


def state(preset):
    return _run(json.dumps(asdict(preset), sort_keys=True))


@pytest.mark.parametrize("lesson", LESSONS, ids=[f"{l.number:02d}-{l.slug}" for l in LESSONS])
def test_lesson_claim_holds(lesson):
    main = state(lesson.preset)
    compare = state(lesson.compare_preset()) if lesson.compare else None
    ok, text = answer(lesson, main, compare)
    assert ok, f"lesson {lesson.number} ({lesson.slug}): {text}"
    # both answers fill from the check's values in both languages (no missing {name})
    from rnncore.lessons import checks
    _, values = getattr(checks, lesson.question["check"])(main, compare)
    for lang in LANGS:
        for key in ("yes", "no"):
            assert lesson.text(key, lang).format(**values)


def test_course_covers_the_notes_in_order():
    assert len(LESSONS) >= 12
    sections = [l.section for l in LESSONS]
    assert sections == sorted(sections), sections
    assert {l.preset.model.get("cell", "lstm") for l in LESSONS} >= {"rnn", "gru-simple", "gru", "lstm"}
    for l in LESSONS:
        for lang in LANGS:
            assert l.text("title", lang) and l.text("paragraphs", lang) and l.text("text", lang)
        assert l.look, l.slug
        l.preset.build()                       # the preset is valid for the core (task, model, train)
        if l.compare:
            l.compare_preset().build()


def test_chinese_texts_use_the_notes_terms():
    zh = " ".join(" ".join(l.text("paragraphs", "zh_CN")) + l.text("title", "zh_CN") for l in LESSONS)
    for term in ("更新门", "遗忘门", "输出门", "记忆细胞", "梯度修剪", "时间步", "相关门"):
        assert term in zh, term


def test_format_fields_are_only_names():
    """Texts are formatted with str.format: a stray brace would break a lesson at run time."""
    for l in LESSONS:
        for lang in LANGS:
            for key in ("text", "yes", "no"):
                for _, field, _, _ in string.Formatter().parse(l.text(key, lang)):
                    assert field is None or field.isidentifier(), (l.slug, lang, key, field)


#: questions about an equation the app computes: true from the first step on
STRUCTURAL = {"forward_equation"}


@pytest.mark.parametrize("lesson", [l for l in LESSONS if l.question["check"] not in STRUCTURAL],
                         ids=lambda l: f"{l.number:02d}-{l.slug}")
def test_untrained_the_answer_is_not_yet(lesson):
    """The claims are about what training does: after one step each question says 'not yet'."""
    main = run_preset(lesson.preset, steps=1)
    compare = run_preset(lesson.compare_preset(), steps=1) if lesson.compare else None
    ok, text = answer(lesson, main, compare)
    assert not ok, text
