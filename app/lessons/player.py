"""The lesson player: one lesson at a time, beside the dashboard, never blocking it.

It shows the lesson's title, the notes' section, its paragraphs, its "look here"
steps and its question, and asks the window to act through signals (it touches no
other widget): apply the preset, highlight a panel, move the time cursor, run one
phase. The window answers the question by handing the trained state to
:meth:`LessonPlayer.answer_from` (any objects with ``task``, ``model``, ``history``
and ``last``; see rnncore.lessons.checks). Where the student is (lesson, step) and
which questions came out right are remembered in QSettings under ``lessons/``.

Runs in the GUI thread only.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QSettings, Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QScrollArea,
                               QVBoxLayout, QWidget)

from rnncore.lessons import LANGS, Lesson, load_lessons
from rnncore.lessons.checks import answer

from .. import theme
from ..i18n import translate

def _words(key: str) -> str:
    """The player's own words in the interface's language (the lessons' words are in their JSON files)."""
    return {"back": translate("LessonPlayer", "◀ Back"), "next": translate("LessonPlayer", "Next ▶"),
            "apply": translate("LessonPlayer", "Open this lesson's preset"), "look": translate("LessonPlayer", "Look here"),
            "question": translate("LessonPlayer", "Question"), "ask": translate("LessonPlayer", "Answer from the app"),
            "of": translate("LessonPlayer", "Lesson {n} of {total}"),
            "no_state": translate("LessonPlayer", "Train the preset first (Open this lesson's preset, then Play)."),
            "answered": translate("LessonPlayer", "✓ answered"),
            "compare": translate("LessonPlayer", "(trains beside a second model: {what})")}[key]


#: per language, fonts that place combining marks right (Chinese: Noto Sans CJK, apt fonts-noto-cjk;
#: its ∂ and ‖ are wide, so not first for English); the first installed is used, else the app's font
TEXT_FONTS = {"en": ("Liberation Sans", "Arimo", "Nimbus Sans", "Arial", "Helvetica", "Noto Sans CJK SC"),
              "zh_CN": ("Noto Sans CJK SC", "Source Han Sans SC", "Liberation Sans")}


class LessonPlayer(QWidget):
    preset_requested = Signal(object, object)   # (Preset, compare Preset or None): open it in the window
    panel_highlight_requested = Signal(str)     # a panel name of rnncore.lessons.PANELS
    cursor_requested = Signal(int)              # time step t (1-based)
    phase_requested = Signal(str)               # forward | loss | backprop | clip | update
    answer_requested = Signal(int)              # lesson number: the window calls answer_from(main, compare)
    lesson_changed = Signal(int)                # lesson number now shown

    def __init__(self, lessons: list[Lesson] | None = None, lang: str = "en",
                 settings: QSettings | None = None, parent=None):
        super().__init__(parent)
        self.lessons = lessons if lessons is not None else load_lessons()
        self.settings = settings or QSettings("RNNScope", "rnnscope")
        self.lang = lang if lang in LANGS else "en"
        self._build()
        saved = int(self.settings.value("lessons/current", 1, type=int) or 1)
        self.show_lesson(min(max(saved, 1), len(self.lessons)))

    # -- layout ------------------------------------------------------------------------
    def _build(self):
        self._base_families = self.font().families()
        big = theme.TEXT_PT
        self.title = QLabel(wordWrap=True)
        self.section = QLabel()
        self.paragraphs = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.paragraphs.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.apply = QPushButton(clicked=self._apply_preset)
        self.compare_note = QLabel(wordWrap=True)
        self.look_label = QLabel()
        self.steps = QListWidget()
        self.steps.setWordWrap(True)
        self.steps.itemActivated.connect(lambda item: self.do_step(self.steps.row(item)))
        self.steps.itemClicked.connect(lambda item: self.do_step(self.steps.row(item)))
        self.question_label = QLabel()
        self.question = QLabel(wordWrap=True)
        self.ask = QPushButton(clicked=lambda: self.answer_requested.emit(self.current.number))
        self.answer = QLabel(wordWrap=True)
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.back = QPushButton(clicked=lambda: self.show_lesson(self.current.number - 1))
        self.next = QPushButton(clicked=lambda: self.show_lesson(self.current.number + 1))
        self.position = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)

        body = QWidget()
        col = QVBoxLayout(body)
        for w in (self.title, self.section, self.paragraphs, self.apply, self.compare_note, self.look_label,
                  self.steps):
            col.addWidget(w)
        col.addStretch(1)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(body)
        nav = QHBoxLayout()
        nav.addWidget(self.back)
        nav.addWidget(self.position, 1)
        nav.addWidget(self.next)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        for w in (self.question_label, self.question, self.ask, self.answer):   # the question always in view
            outer.addWidget(w)
        outer.addLayout(nav)
        self._apply_fonts()

    def _apply_fonts(self):
        """The language's fonts (c̃, c + a combining tilde: DejaVu Sans and Noto Sans draw the tilde a
        line off); set as fonts, not style sheets, which would drop the families."""
        font = self.font()
        font.setFamilies([*TEXT_FONTS[self.lang], *self._base_families])
        self.setFont(font)
        big = theme.TEXT_PT
        for label, points, bold in ((self.title, big + 4, True), (self.paragraphs, big, False),
                                    (self.look_label, None, True), (self.question_label, None, True),
                                    (self.question, big, False)):
            label.setFont(self._sized(points, bold))

    def _sized(self, points, bold=False):
        f = self.font()
        if points:
            f.setPointSizeF(points)
        f.setBold(bold)
        return f

    # -- showing -------------------------------------------------------------------------
    def _ui(self, key, **kw):
        return _words(key).format(**kw)

    def show_lesson(self, number: int) -> None:
        """Show lesson ``number`` (1-based; out of range is ignored) and remember it."""
        if not 1 <= number <= len(self.lessons):
            return
        self.current = self.lessons[number - 1]
        self.settings.setValue("lessons/current", number)
        self._render()
        self.lesson_changed.emit(number)

    def set_lang(self, lang: str) -> None:
        """Show every text in ``lang`` (en or zh_CN); the lesson and step stay."""
        if lang in LANGS and lang != self.lang:
            self.lang = lang
            self._apply_fonts()
            self._render()

    def _render(self):
        l, lang = self.current, self.lang
        self.title.setText(l.text("title", lang))
        self.section.setText(f"{l.section}  ·  {self._ui('of', n=l.number, total=len(self.lessons))}")
        self.paragraphs.setText("\n\n".join(l.text("paragraphs", lang)))
        self.apply.setText(self._ui("apply"))
        self.apply.setToolTip("rnnscope train " + l.preset.cli())
        self.compare_note.setVisible(l.compare is not None)
        if l.compare is not None:
            what = ", ".join(f"{k}={v}" for part in l.compare.values() for k, v in part.items())
            self.compare_note.setText(self._ui("compare", what=what))
        self.look_label.setText(self._ui("look"))
        self.steps.clear()
        for i, s in enumerate(l.look, 1):
            self.steps.addItem(QListWidgetItem(f"{i}. {s['text'].get(lang) or s['text']['en']}"))
        self._fit_steps()
        step = self.settings.value(f"lessons/step/{l.number}", -1, type=int)
        if 0 <= step < self.steps.count():
            self.steps.setCurrentRow(step)
        self.question_label.setText(self._ui("question") + (f"   {self._ui('answered')}" if self.is_done(l.number) else ""))
        self.question.setText(l.text("text", lang))
        self.ask.setText(self._ui("ask"))
        self.answer.clear()
        self.back.setText(self._ui("back"))
        self.next.setText(self._ui("next"))
        self.back.setEnabled(l.number > 1)
        self.next.setEnabled(l.number < len(self.lessons))
        self.position.setText(f"{l.number} / {len(self.lessons)}")

    def _fit_steps(self):
        """The look-here list as tall as its rows (so the question under it shows), at most 12 lines."""
        fm, width = self.steps.fontMetrics(), max(self.steps.viewport().width() - 8, 120)
        rows = sum(fm.boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, self.steps.item(i).text())
                   .height() + 4 for i in range(self.steps.count()))
        self.steps.setFixedHeight(min(rows + 2 * self.steps.frameWidth() + 6, 12 * theme.TEXT_PT * 2))

    def changeEvent(self, e):
        """The interface's language changed (View › Language): the lesson follows it."""
        super().changeEvent(e)
        if e.type() == QEvent.Type.LanguageChange and hasattr(self, "current"):
            from .. import i18n
            if i18n.current() != self.lang:
                self.set_lang(i18n.current())
            else:
                self._render()

    def resizeEvent(self, e):
        super().resizeEvent(e)
        self._fit_steps()           # wrapped rows change height with the width

    # -- acting (through signals: the window does the work) --------------------------------
    def _apply_preset(self):
        self.preset_requested.emit(self.current.preset, self.current.compare_preset())

    def do_step(self, index: int) -> None:
        """Carry out look-here step ``index`` (0-based) of the current lesson and remember it."""
        look = self.current.look
        if not 0 <= index < len(look):
            return
        s = look[index]
        self.steps.setCurrentRow(index)
        self.settings.setValue(f"lessons/step/{self.current.number}", index)
        if s["do"] == "highlight":
            self.panel_highlight_requested.emit(s["panel"])
        elif s["do"] == "cursor":
            self.cursor_requested.emit(int(s["t"]))
        elif s["do"] == "phase":
            self.phase_requested.emit(s["phase"])

    def answer_from(self, main, compare=None) -> bool:
        """Answer the current question from the trained state (``main``, and ``compare`` when the
        lesson trains two models); show the confirming or explaining text. → ok."""
        if main is None or (self.current.compare is not None and compare is None):
            self.answer.setText(self._ui("no_state"))
            self.answer.setStyleSheet("")
            return False
        ok, text = answer(self.current, main, compare, self.lang)
        self.show_answer(ok, text)
        return ok

    def show_answer(self, ok: bool, text: str) -> None:
        """Show an answer computed elsewhere (e.g. by the training process, where the held-out
        evaluation of agreement, 0.2–0.5 s, does not hold up the GUI); ok marks the lesson answered."""
        self.answer.setText(text)
        self.answer.setStyleSheet(f"color: {theme.GOOD if ok else theme.BAD};")
        if ok:
            done = self.done() | {self.current.number}
            self.settings.setValue("lessons/done", ",".join(map(str, sorted(done))))
            self.question_label.setText(self._ui("question") + f"   {self._ui('answered')}")

    # -- progress ----------------------------------------------------------------------------
    def done(self) -> set[int]:
        """Lessons whose question came out right (remembered across sessions)."""
        raw = self.settings.value("lessons/done", "", type=str) or ""
        return {int(v) for v in raw.split(",") if v.strip().isdigit()}

    def is_done(self, number: int) -> bool:
        return number in self.done()
