"""Gradient check: central differences against backpropagation through time, on
the current model and a small batch of the task, in float64 (cs231n's
``rel_error``; rnncore.insight.gradient_check), on a float64 copy of the model.
Each parameter's relative error ‖num − ana‖ / max(‖num‖ + ‖ana‖, floor) should be
far below 1e-6; a larger one means the backward pass is wrong (or a ReLU sits on a
kink); the floor keeps a trained model's tiny gradients from reading as failures.
Runs in the background when the button is pressed; the result names the step it
was computed at and greys out once training has moved on."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout)

from app import theme
from app.i18n import translate
from app.insight.jobs import Jobs, model_from
from app.panels.base import Panel
from app.panels.common import label, set_text
from rnncore.insight import GRADCHECK_FLOOR, gradient_check

TOLERANCE = 1e-6
#: the notes' names for the core's parameter keys (rnncore/naming.py)
MEANING = {"Wx": QT_TRANSLATE_NOOP("GradCheckPanel", "W_ax of every gate"),
           "Wh": QT_TRANSLATE_NOOP("GradCheckPanel", "W_aa of every gate"),
           "b": QT_TRANSLATE_NOOP("GradCheckPanel", "b of every gate"),
           "bhn": QT_TRANSLATE_NOOP("GradCheckPanel", "b of c̃'s W_aa a"),
           "head.W": "W_ya", "head.b": "b_y", "embed.E": QT_TRANSLATE_NOOP("GradCheckPanel", "word embeddings")}
BATCH = 4
ENTRIES = 20


def check_job(config, weights, batch, entries):
    """Pool thread: {parameter: relative error}."""
    return gradient_check(model_from(config, weights), batch, max_entries=entries)


def check_batch(state):
    """A few of the task's examples (a fixed seed), else the display example."""
    task = state.task
    if task is not None and hasattr(task, "batch"):
        try:
            return task.batch(np.random.default_rng(3), BATCH)
        except Exception:  # noqa: BLE001 - fall back to the example on screen
            pass
    return state.example


class GradCheckPanel(Panel):
    title = QT_TRANSLATE_NOOP("Panel", "Gradient check")
    object_id = "gradcheck"

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        row = QHBoxLayout()
        self.button = QPushButton(translate("GradCheckPanel", "Check the gradients"))
        self.button.setFont(theme.font(bold=True))
        self.button.setToolTip(theme.tip(translate(
            "GradCheckPanel", "Central differences vs backpropagation through time, float64, on {batch} examples of "
                              "the task ({entries} entries per parameter)").format(batch=BATCH, entries=ENTRIES)))
        self.button.clicked.connect(self.run_check)
        row.addWidget(self.button)
        self.summary = label("")
        row.addWidget(self.summary, 1)
        lay.addLayout(row)
        self.note = label(translate(
            "GradCheckPanel", "Compares ∂L/∂W from backpropagation through time with (L(W + ε) − L(W − ε)) / 2ε for "
                              "each parameter, in float64. ‖num − ana‖ / max(‖num‖ + ‖ana‖, {floor}) below {tol} "
                              "passes (the floor: a trained model's gradients are tiny, not wrong).").format(
            floor=f"{GRADCHECK_FLOOR:g}", tol=f"{TOLERANCE:g}"))
        lay.addWidget(self.note)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([translate("GradCheckPanel", "parameter"),
                                              translate("GradCheckPanel", "in the notes"),
                                              translate("GradCheckPanel", "shape"),
                                              translate("GradCheckPanel", "relative error"), ""])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.table.setFont(theme.font())
        lay.addWidget(self.table, 1)
        self.errors: dict | None = None
        self.jobs = Jobs(self, min_interval=0.0)
        self.jobs.finished.connect(self._checked)
        self.jobs.failed.connect(self._failed)
        self._step = None
        self._run = None
        self._verdict = ""               # the summary of the newest result
        self.stale = False

    def run_check(self):
        st = self.state
        if st.model_config is None or st.weights is None:
            set_text(self.summary, translate("GradCheckPanel", "No model yet."))
            return
        batch = check_batch(st)
        if batch is None:
            set_text(self.summary, translate("GradCheckPanel", "No examples to check on."))
            return
        self._step = st.step
        self.button.setEnabled(False)
        set_text(self.summary, translate("GradCheckPanel", "checking … (central differences take a few seconds)"))
        self.jobs.run_now(check_job, st.model_config, st.weights, batch, ENTRIES)

    def _failed(self, _n, message):
        self.button.setEnabled(True)
        set_text(self.summary, translate("GradCheckPanel", "Could not check: {message}").format(message=message))

    def _checked(self, _n, errors):
        self.button.setEnabled(True)
        self.errors = errors
        shapes = {k: tuple(v.shape) for k, v in (self.state.weights or {}).items()}
        self.table.setRowCount(len(errors))
        for r, (name, err) in enumerate(errors.items()):
            ok = err < TOLERANCE
            meaning = MEANING.get(name, MEANING.get(name.rsplit(".", 1)[-1], ""))
            meaning = translate("GradCheckPanel", meaning) if meaning else ""
            items = [QTableWidgetItem(name), QTableWidgetItem(meaning),
                     QTableWidgetItem(" × ".join(map(str, shapes.get(name, ())))),
                     QTableWidgetItem(f"{err:.2e}"), QTableWidgetItem(translate("GradCheckPanel", "pass") if ok else translate("GradCheckPanel", "FAIL"))]
            colour = QColor(theme.GOOD if ok else theme.BAD)
            items[3].setForeground(QBrush(colour))
            items[4].setForeground(QBrush(colour))
            items[4].setBackground(QBrush(QColor(235, 251, 238) if ok else QColor(255, 235, 235)))
            for c, it in enumerate(items):
                self.table.setItem(r, c, it)
        bad = [k for k, e in errors.items() if not e < TOLERANCE]
        worst = max(errors.values(), default=0.0)
        if bad:
            self._verdict = translate("GradCheckPanel", "{bad} of {n} parameters FAIL (worst {worst}) at step {step}.") \
                .format(bad=len(bad), n=len(errors), worst=f"{worst:.1e}", step=self._step)
        else:
            self._verdict = translate("GradCheckPanel", "All {n} parameters pass at step {step}: largest relative "
                                                        "error {worst}.").format(n=len(errors), step=self._step,
                                                                                 worst=f"{worst:.1e}")
        self.stale = None                 # redraw decides
        self._show_staleness()

    def _show_staleness(self):
        """A result of another step than the one on screen is greyed out and says so."""
        if self.errors is None:
            return
        stale = self.state.step != self._step
        if stale == self.stale:
            return
        self.stale = stale
        text = self._verdict
        if stale:
            text += " " + translate("GradCheckPanel", "Training has moved on (now step {step}): press the button to "
                                                      "check again.").format(step=self.state.step)
        set_text(self.summary, text)
        self.summary.setStyleSheet(f"color: {theme.MUTED};" if stale else "")
        self.table.setEnabled(not stale)

    def redraw(self):
        st = self.state
        run = (st.task, st.model_config)
        if self._run is None or run[0] is not self._run[0] or run[1] is not self._run[1]:
            self._run = run
            self.errors = None
            self.table.setRowCount(0)
            set_text(self.summary, "" if st.model_config is not None else translate("GradCheckPanel", "No run yet."))
        self.button.setEnabled(st.weights is not None and not self.jobs.busy)
        self._show_staleness()
