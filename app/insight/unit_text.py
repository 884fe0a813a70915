"""The text itself coloured by one unit, as in Karpathy, Johnson & Fei-Fei (2015)
and LSTMVis: each character of the example gets the chosen unit's value after
reading it (tanh(c<t>) or a<t>, diverging map: blue < 0 < red), the character
at the time cursor t drawn in the cursor's orange and kept in view; beside it the same unit of an untrained model
with the run's initial weights, so a pattern that is already there at random
(a unit that just follows the column) is not mistaken for a learned one.

"Rank on held-out files" asks the task (the ``code`` task's ``read_heldout``)
for Pearson's r of every unit with each tokenize signal (in string, comment,
bracket depth, indent, column) on files never trained on, for the trained and
the untrained model, and selects the best unit of the chosen signal. Both
analyses run in the background (app/insight/jobs.py)."""
from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (QComboBox, QGridLayout, QHBoxLayout, QPushButton, QSpinBox, QTextEdit,
                               QVBoxLayout, QWidget)

from app import theme
from app.i18n import translate
from app.insight.jobs import Jobs, model_from
from app.panels.base import Panel
from app.panels.common import label, set_text

STATES = {"tanh(c<t>)": "c", "a<t>": "a"}
#: the tokenize signals of rnncore/tasks/code_signals.py, as the signal box names them
SIGNAL_LABELS = {
    "string": QT_TRANSLATE_NOOP("UnitTextPanel", "in a string"),
    "comment": QT_TRANSLATE_NOOP("UnitTextPanel", "in a comment"),
    "text": QT_TRANSLATE_NOOP("UnitTextPanel", "in a string or comment"),
    "depth": QT_TRANSLATE_NOOP("UnitTextPanel", "bracket depth, in code"),
    "depth_all": QT_TRANSLATE_NOOP("UnitTextPanel", "bracket depth, every character"),
    "indent": QT_TRANSLATE_NOOP("UnitTextPanel", "indentation level"),
    "column": QT_TRANSLATE_NOOP("UnitTextPanel", "column"),
}


def untrained_job(config, seed, example):
    """Pool thread: (T, units) tanh(c<t>) and a<t> of the run's initial weights on the example."""
    from rnncore.model import Model
    tr = Model(config, np.random.default_rng([seed, 0])).trace(example, with_gradients=False)
    return _values(tr)


def ranking_job(task, config, weights, seed):
    """Pool thread: {'c'|'a': (units, signals) r} for the trained and the untrained model."""
    from rnncore.model import Model
    out = {}
    for name, model in (("trained", model_from(config, weights)),
                        ("untrained", Model(config, np.random.default_rng([seed, 0])))):
        _, corr = task.read_heldout(model)
        out[name] = {k: c.r() for k, c in corr.items()}
    return out


def _values(trace) -> dict:
    """{'c': tanh(c<t>), 'a': a<t>} as (T, units), layers side by side (row 0 of the trace)."""
    rows = next(iter(trace.parts.values()))
    T = int(trace.lengths[0])
    c = np.concatenate([np.asarray(r[0]["c"])[:T, 0] for r in rows], axis=-1)
    a = np.concatenate([np.asarray(r[0]["a"])[:T, 0] for r in rows], axis=-1)
    return {"c": np.tanh(c), "a": a}


def pieces(task, example) -> list[str]:
    """The example's tokens as text: characters as they are, other tokens with a space after."""
    x = np.asarray(example.x)[0]
    n = int(example.x_lengths[0]) if example.x_lengths is not None else len(x)
    text = getattr(task, "text", None)
    if callable(text):
        return list(text(x[:n]))
    try:
        toks = [str(t) for t in task.describe(example, 0)["x"]][:n]
    except Exception:  # a task that cannot describe: number the steps
        toks = [str(t + 1) for t in range(n)]
    return [t + " " for t in toks]


class TextView(QTextEdit):
    """Read-only text, each piece's background set by a value in [-1, 1]."""

    def __init__(self):
        super().__init__()
        self.setReadOnly(True)
        self.setFont(theme.font(theme.TEXT_PT))
        self.starts = np.zeros(1, int)            # document position of each piece, and the end

    def show_values(self, parts: list[str], values: np.ndarray | None):
        lut = theme.diverging_cmap().getLookupTable(0.0, 1.0, 256)[:, :3]
        spans, pos, starts = [], 0, []
        for i, p in enumerate(parts):
            starts.append(pos)
            pos += len(p)
            if values is None or i >= len(values) or not np.isfinite(values[i]):
                spans.append(html.escape(p))
                continue
            r, g, b = lut[int(round((np.clip(values[i], -1, 1) + 1) / 2 * 255))]
            spans.append(f'<span style="background-color:#{r:02x}{g:02x}{b:02x}">{html.escape(p)}</span>')
        self.starts = np.array(starts + [pos])
        self.setHtml(f"<p style=\"white-space:pre-wrap; font-family:'DejaVu Sans Mono',monospace\">"
                     f"{''.join(spans)}</p>")

    def mark(self, t: int):
        """Piece t in the cursor's colour, scrolled into view."""
        if len(self.starts) < 2:
            self.setExtraSelections([])
            return
        t = int(np.clip(t, 0, len(self.starts) - 2))
        cur = QTextCursor(self.document())
        cur.setPosition(int(self.starts[t]))
        cur.setPosition(int(max(self.starts[t + 1], self.starts[t] + 1)), QTextCursor.KeepAnchor)
        sel = QTextEdit.ExtraSelection()
        sel.cursor = cur
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(theme.CURSOR))
        fmt.setForeground(QColor("#ffffff"))
        fmt.setFontWeight(700)
        sel.format = fmt
        self.setExtraSelections([sel])
        self.setTextCursor(QTextCursor(self.document()))
        c = self.textCursor()
        c.setPosition(int(self.starts[t]))
        self.setTextCursor(c)
        self.ensureCursorVisible()


class UnitTextPanel(Panel):
    title = QT_TRANSLATE_NOOP("Panel", "Text coloured by a unit")
    object_id = "unit_text"

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        bar.addWidget(label(translate("UnitTextPanel", "unit")))
        self.unit = QSpinBox()
        self.unit.setRange(0, 0)
        self.unit.valueChanged.connect(self._unit_changed)
        bar.addWidget(self.unit)
        self.key = QComboBox()
        self.key.addItems(list(STATES))
        self.key.currentIndexChanged.connect(self._show)
        bar.addWidget(self.key)
        bar.addWidget(label(translate("UnitTextPanel", "signal")))
        self.signal = QComboBox()
        self.signal.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)   # "bracket depth, in code" whole
        self.signal.currentIndexChanged.connect(self._signal_changed)
        bar.addWidget(self.signal)
        self.rank = QPushButton(translate("UnitTextPanel", "Rank on held-out files"))
        self.rank.clicked.connect(self._rank)
        bar.addWidget(self.rank)
        bar.addStretch(1)
        lay.addLayout(bar)
        self.note = label(translate("UnitTextPanel", "No run yet."))
        self.note.setWordWrap(True)
        lay.addWidget(self.note)
        self.readout = label("")
        lay.addWidget(self.readout)
        grid = QGridLayout()
        self.heads = [label(translate("UnitTextPanel", "trained"), bold=True),
                      label(translate("UnitTextPanel", "untrained (the run's initial weights)"), bold=True)]
        self.views = [TextView(), TextView()]
        for i, (h, v) in enumerate(zip(self.heads, self.views)):
            grid.addWidget(h, 0, i)
            grid.addWidget(v, 1, i)
        box = QWidget()
        box.setLayout(grid)
        lay.addWidget(box, 1)
        self.trained = None          # {'c', 'a'}: (T, units) of the live trace
        self.untrained = None
        self.ranking = None          # {'trained'|'untrained': {'c'|'a': (units, signals) r}}
        self._parts = []
        self._seen = (None, None)    # (trace, example) drawn
        self._asked = None           # (config, seed, example) of the untrained request
        self.jobs = Jobs(self, min_interval=0.3)
        self.jobs.finished.connect(self._untrained_done)
        self.jobs.failed.connect(self._failed)
        self.rank_jobs = Jobs(self, min_interval=0.0)
        self.rank_jobs.finished.connect(self._ranked)
        self.rank_jobs.failed.connect(self._failed)
        self.state.cursor_changed.connect(self.set_cursor)
        self.state.units_changed.connect(self._units_selected)
        self._task = None

    # -- inputs --------------------------------------------------------------------------
    def _seed(self):
        tc = self.state.train_config
        return 0 if tc is None else tc.seed

    def _new_task(self, task):
        """A new run: forget its analyses; signals only for a task that can rank units."""
        self._task = task
        self.ranking, self.untrained, self._asked = None, None, None
        from rnncore.tasks.code_signals import SIGNALS
        self.signal.blockSignals(True)
        self.signal.clear()
        if callable(getattr(task, "read_heldout", None)):
            for name in SIGNALS:
                self.signal.addItem(translate("UnitTextPanel", SIGNAL_LABELS.get(name, name)), name)
        self.signal.blockSignals(False)
        self.rank.setEnabled(self.signal.count() > 0)

    def _units_selected(self, units):
        if units and units[0] <= self.unit.maximum():
            self.unit.setValue(units[0])

    def _unit_changed(self, _u):
        self._show()

    def _signal_changed(self, _i):
        self._select_best()
        self._show()

    def _rank(self):
        st = self.state
        if st.weights is None or st.task is None or not callable(getattr(st.task, "read_heldout", None)):
            return
        set_text(self.note, translate("UnitTextPanel", "Ranking units on the held-out files …"))
        self.rank_jobs.run_now(ranking_job, st.task, st.model_config, st.weights, self._seed())

    def _ranked(self, _n, result):
        self.ranking = result
        self._select_best()
        self._show()

    def _untrained_done(self, _n, values):
        self.untrained = values
        self._show()

    def _failed(self, _n, message):
        set_text(self.note, translate("UnitTextPanel", "Could not compute: {message}").format(message=message))

    def _select_best(self):
        if self.ranking is None or self.signal.currentIndex() < 0:
            return
        r = self.ranking["trained"][STATES[self.key.currentText()]][:, self.signal.currentIndex()]
        self.unit.setValue(int(np.argmax(np.abs(r))))

    # -- drawing -------------------------------------------------------------------------
    def redraw(self):
        st = self.state
        if st.task is not self._task:
            self._new_task(st.task)
        if st.trace is None or st.example is None or st.model_config is None:
            self.trained = None
            self._show()
            return
        cfg = st.model_config
        self.unit.setMaximum(cfg.hidden_size * cfg.num_layers - 1)
        if any(a is not b for a, b in zip(self._seen, (st.trace, st.example))):   # identity: a Batch's == compares arrays
            self._seen = (st.trace, st.example)
            self.trained = _values(st.trace)
            self._parts = pieces(st.task, st.example)
            want = (cfg, self._seed(), st.example)
            if self._asked is None or any(a is not b for a, b in zip(want, self._asked)):
                self._asked = want
                self.untrained = None
                self.jobs.request(untrained_job, *want)
            self._show()

    def _show(self):
        if self.trained is None:
            for v in self.views:
                v.show_values([], None)
            set_text(self.note, translate("UnitTextPanel", "No run yet.") if self.state.model_config is None
                     else translate("UnitTextPanel", "Waiting for a trace …"))
            return
        key, u = STATES[self.key.currentText()], self.unit.value()
        for view, vals in zip(self.views, (self.trained, self.untrained)):
            col = None if vals is None or u >= vals[key].shape[1] else vals[key][:, u]
            view.show_values(self._parts, col)
        set_text(self.note, self._describe(key, u))
        self.set_cursor(self.state.cursor)

    def _describe(self, key, u):
        name = "tanh(c<t>)" if key == "c" else "a<t>"
        text = translate("UnitTextPanel", "Unit {u}: {name} after reading each character (blue −1, white 0, "
                                          "red +1).").format(u=u, name=name)
        if self.ranking is None or self.signal.currentIndex() < 0:
            return text + (" " + translate("UnitTextPanel", "Rank to find the units that track strings, brackets "
                                                            "and indentation.") if self.signal.count() else "")
        s, j = self.signal.currentText(), self.signal.currentIndex()
        r, r0 = self.ranking["trained"][key][:, j], self.ranking["untrained"][key][:, j]
        top = np.argsort(-np.abs(r))[:3]
        best = ", ".join(f"{int(k)} (r = {r[k]:+.2f})" for k in top)
        return text + " " + translate("UnitTextPanel", "Held-out files, signal '{s}': r = {r} for this unit; best "
                                                       "{best}; untrained model's best |r| = {r0}.").format(
            s=s, r=f"{r[u]:+.2f}", best=best, r0=f"{np.abs(r0).max():.2f}")

    def set_cursor(self, t: int):
        for v in self.views:
            v.mark(t)
        if self.trained is None or not self._parts:
            set_text(self.readout, "")
            return
        key, u = STATES[self.key.currentText()], self.unit.value()
        t = min(t, len(self._parts) - 1)
        vals = [None if v is None or u >= v[key].shape[1] or t >= len(v[key]) else float(v[key][t, u])
                for v in (self.trained, self.untrained)]
        names = (translate("UnitTextPanel", "trained"), translate("UnitTextPanel", "untrained"))
        shown = " ".join(f"{name} {v:+.2f}" for name, v in zip(names, vals) if v is not None)
        set_text(self.readout, translate("UnitTextPanel", "t = {t}, after {part}: {shown}").format(
            t=t + 1, part=self._parts[t].strip() or repr(self._parts[t]), shown=shown))
