"""The tasks' titles and one-line lessons in the interface's language.

The tasks live in rnncore (no Qt), so their English texts are marked here for
pyside6-lupdate (context "Task") and translated where the window shows them; a task
whose text is not marked (or has changed) is shown in English, and
tests/test_translations.py names it.
"""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from ..i18n import translate

_MARKED = (
    QT_TRANSLATE_NOOP("Task", "Adding problem"),
    QT_TRANSLATE_NOOP("Task", "Gradients vanish over long lags for a plain RNN; an LSTM's memory cell carries two "
                              "marked numbers across T steps."),
    QT_TRANSLATE_NOOP("Task", "Plural agreement"),
    QT_TRANSLATE_NOOP("Task", "Long-range dependency: the verb agrees with its subject, which is not always the first "
                              "noun (\"the boys said that the cat near the dogs was …\"); the GRU/LSTM memory cell keeps "
                              "its number, a plain RNN's gradient vanishes."),
    QT_TRANSLATE_NOOP("Task", "Python source, raw characters"),
    QT_TRANSLATE_NOOP("Task", "A character model reading raw Python source grows cells that track being inside a "
                              "string, the bracket depth and the indentation."),
    QT_TRANSLATE_NOOP("Task", "Date translation"),
    QT_TRANSLATE_NOOP("Task", "Encoder-decoder (T_x ≠ T_y): an encoder reads '26 nov 2026', a decoder writes "
                              "'2026-11-26'."),
    QT_TRANSLATE_NOOP("Task", "Exploding gradients"),
    QT_TRANSLATE_NOOP("Task", "Large recurrent weights make ∂L/∂a<t> grow step after step back in time; clipping the "
                              "gradient norm keeps training stable."),
    QT_TRANSLATE_NOOP("Task", "Language model"),
    QT_TRANSLATE_NOOP("Task", "A language model gives each sentence a probability: 'pear salad' beats 'pair salad'; "
                              "sampling shows what it learned."),
    QT_TRANSLATE_NOOP("Task", "Melody from a style"),
    QT_TRANSLATE_NOOP("Task", "One-to-many: one style vector in, a sequence of notes out, each sampled note fed back "
                              "in."),
    QT_TRANSLATE_NOOP("Task", "Name tagging"),
    QT_TRANSLATE_NOOP("Task", "Notation and the per-timestep loss: y<t> = 1 if the t-th word is part of a person's "
                              "name, L = Σ_t L<t> (\"Harry Potter and Hermione Granger invented a new spell\")."),
    QT_TRANSLATE_NOOP("Task", "Sentiment of short reviews"),
    QT_TRANSLATE_NOOP("Task", "Many-to-one: a whole review in, one rating out; \"not good at all\" is negative, and "
                              "after \"but\" the last clause decides, so word order matters."),
    QT_TRANSLATE_NOOP("Task", "Teddy: name or bear?"),
    QT_TRANSLATE_NOOP("Task", "Bidirectional RNN: whether \"Teddy\" is a name is decided by the words after it "
                              "(\"Teddy bears are on sale\" / \"Teddy Roosevelt was a great president\"); only →a and "
                              "←a together can know."),
    QT_TRANSLATE_NOOP("Task", "Your labeled sequences (TSV)"),
    QT_TRANSLATE_NOOP("Task", "Your own sequences: many-to-many tagging or many-to-one classification, per-timestep "
                              "loss."),
)


def task_title(task) -> str:
    """A task's (class's or instance's) title in the interface's language, else its name."""
    title = getattr(task, "title", "") or getattr(task, "name", "")
    return translate("Task", title) if title else ""


def task_lesson(task) -> str:
    """A task's one-line lesson in the interface's language."""
    lesson = getattr(task, "lesson", "") or ""
    return translate("Task", lesson) if lesson else ""
