"""Dialogs: a new run (task, cell, sizes, optimizer, clipping, seed) and the equations help.

The new-run dialog checks its choices with the core's own validation (task
options, ModelConfig, TrainConfig) and shows the ConfigError's words under the
form; OK stays disabled until the combination is valid.
"""
from __future__ import annotations

import html

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout,
                               QGroupBox, QLabel, QLineEdit, QSpinBox, QTextBrowser, QVBoxLayout, QWidget)

from rnncore.config import CELLS, ConfigError
from rnncore.runspec import RunSpec

from ..i18n import translate
from .controls import CLIP_MODES, LogSpinBox
from .task_words import task_lesson, task_title

def cell_titles() -> dict:
    """The cells' names in the interface's language."""
    return {"rnn": translate("NewRunDialog", "RNN (a<t> = g(W_a[a<t-1>, x<t>] + b_a))"),
            "gru-simple": translate("NewRunDialog", "Simplified GRU (Γu only)"),
            "gru": "GRU (Γu, Γr)", "lstm": "LSTM (Γu, Γf, Γo)"}


def visible_tasks() -> dict:
    import rnncore.tasks  # noqa: F401
    from rnncore.tasks import TASKS
    return {k: v for k, v in sorted(TASKS.items()) if not k.startswith("_")}


class NewRunDialog(QDialog):
    """Choose a task with its options and the model; ``spec()`` gives the RunSpec."""

    def __init__(self, parent=None, task: str | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("New run"))
        f = QFont()
        f.setPointSize(12)
        self.setFont(f)
        self.tasks = visible_tasks()
        lay = QVBoxLayout(self)

        top = QFormLayout()
        self.task = QComboBox()
        for name, cls in self.tasks.items():
            self.task.addItem(task_title(cls) or name, name)
        top.addRow(self.tr("Task"), self.task)
        self.lesson = QLabel("")
        self.lesson.setWordWrap(True)
        self.lesson.setStyleSheet("color: #555;")
        top.addRow("", self.lesson)
        lay.addLayout(top)

        self.options_box = QGroupBox(self.tr("Task options"))
        self.options_form = QFormLayout(self.options_box)
        self.option_widgets: dict[str, QWidget] = {}
        lay.addWidget(self.options_box)

        model = QGroupBox(self.tr("Model"))
        mf = QFormLayout(model)
        self.cell = QComboBox()
        for c in CELLS:
            self.cell.addItem(cell_titles().get(c, c), c)
        mf.addRow(self.tr("Cell"), self.cell)
        self.activation = QComboBox()
        self.activation.addItems(["tanh", "sigmoid", "relu"])
        mf.addRow(self.tr("g of the RNN"), self.activation)
        self.hidden = QSpinBox()
        self.hidden.setRange(1, 512)
        mf.addRow(self.tr("Hidden units H"), self.hidden)
        self.layers = QSpinBox()
        self.layers.setRange(1, 4)
        mf.addRow(self.tr("Layers (deep RNN)"), self.layers)
        self.bidirectional = QCheckBox(self.tr("bidirectional (→a and ←a)"))
        mf.addRow("", self.bidirectional)
        lay.addWidget(model)

        train = QGroupBox(self.tr("Training"))
        tf = QFormLayout(train)
        self.optimizer = QComboBox()
        self.optimizer.addItems(["adam", "sgd"])
        tf.addRow(self.tr("Optimizer"), self.optimizer)
        self.lr = LogSpinBox()
        self.lr.setDecimals(8)
        self.lr.setRange(1e-7, 1000.0)
        tf.addRow(self.tr("Learning rate α"), self.lr)
        self.clip = QComboBox()
        for mode, text in zip(CLIP_MODES, (self.tr("none"), self.tr("norm"), self.tr("value"))):
            self.clip.addItem(text, mode)
        tf.addRow(self.tr("Gradient clipping"), self.clip)
        self.threshold = LogSpinBox()
        self.threshold.setDecimals(8)
        self.threshold.setRange(1e-6, 1e9)
        tf.addRow(self.tr("Clip threshold"), self.threshold)
        self.batch = QSpinBox()
        self.batch.setRange(1, 4096)
        tf.addRow(self.tr("Batch size"), self.batch)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        tf.addRow(self.tr("Seed"), self.seed)
        lay.addWidget(train)

        self.problem = QLabel("")
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c92a2a; font-weight: bold;")
        lay.addWidget(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

        self.task.currentIndexChanged.connect(self._task_changed)
        for w in (self.cell, self.activation, self.optimizer, self.clip):
            w.currentIndexChanged.connect(self.validate)
        for w in (self.hidden, self.layers, self.batch, self.seed, self.lr, self.threshold):
            w.valueChanged.connect(self.validate)
        self.bidirectional.toggled.connect(self.validate)
        if task in self.tasks:
            self.task.setCurrentIndex(list(self.tasks).index(task))
        self._task_changed()

    # -- filling in ------------------------------------------------------------------
    def _task_changed(self, *_):
        name = self.task.currentData()
        while self.options_form.rowCount():
            self.options_form.removeRow(0)
        self.option_widgets = {}
        if name is None:
            self.problem.setText(self.tr("No tasks are installed."))
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
            return
        cls = self.tasks[name]
        self.lesson.setText(task_lesson(cls))
        for key, value in cls.defaults.items():
            w = _option_widget(value)
            if w is None:
                continue
            self.option_widgets[key] = w
            self.options_form.addRow(key.replace("_", " "), w)
            _connect(w, self.validate)
        self.options_box.setVisible(bool(self.option_widgets))
        md, td = {**cls.model_defaults}, {**cls.train_defaults}
        self._set_combo(self.cell, md.get("cell", "lstm"))
        self.activation.setCurrentText(md.get("activation", "tanh"))
        self.hidden.setValue(int(md.get("hidden_size", 32)))
        self.layers.setValue(int(md.get("num_layers", 1)))
        self.bidirectional.setChecked(bool(md.get("bidirectional", False)))
        self.optimizer.setCurrentText(td.get("optimizer", "adam"))
        self.lr.setValue(float(td.get("lr", 0.01)))
        self._set_combo(self.clip, td.get("clip", "norm"))
        self.threshold.setValue(float(td.get("clip_threshold", 5.0)))
        self.batch.setValue(int(td.get("batch_size", 32)))
        self.seed.setValue(int(td.get("seed", 0)))
        self.validate()

    @staticmethod
    def _set_combo(combo, data):
        i = combo.findData(data)
        if i >= 0:
            combo.setCurrentIndex(i)

    # -- reading back -------------------------------------------------------------------
    def options(self) -> dict:
        return {k: _option_value(w) for k, w in self.option_widgets.items()}

    def spec(self) -> RunSpec:
        cell = self.cell.currentData()
        model = {"cell": cell, "hidden_size": self.hidden.value(), "num_layers": self.layers.value(),
                 "bidirectional": self.bidirectional.isChecked()}
        if cell == "rnn":
            model["activation"] = self.activation.currentText()
        cls = self.tasks.get(self.task.currentData())
        if cls is not None and cell == "gru" and "reset_after" in cls.model_defaults:
            model["reset_after"] = cls.model_defaults["reset_after"]
        train = {"optimizer": self.optimizer.currentText(), "lr": self.lr.value(), "clip": self.clip.currentData(),
                 "clip_threshold": self.threshold.value(), "batch_size": self.batch.value(), "seed": self.seed.value()}
        return RunSpec(task=self.task.currentData(), task_options=self.options(), model=model, train=train)

    def validate(self, *_) -> bool:
        """Build the task and configs as the worker will; say what is wrong, in the core's words."""
        self.activation.setEnabled(self.cell.currentData() == "rnn")
        self.threshold.setEnabled(self.clip.currentData() != "none")
        ok, text = True, ""
        try:
            check_spec(self.spec())
        except (ConfigError, ValueError, TypeError) as e:
            ok, text = False, str(e)
        self.problem.setText(text)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        return ok

    def accept(self):
        if self.validate():
            super().accept()


def check_spec(spec: RunSpec):
    """(task, ModelConfig, TrainConfig) of a new-run spec, or ConfigError explaining the problem."""
    return spec.describe()


def _option_widget(value):
    if isinstance(value, bool):
        w = QCheckBox()
        w.setChecked(value)
    elif isinstance(value, int):
        w = QSpinBox()
        w.setRange(-1_000_000, 1_000_000)
        w.setValue(value)
    elif isinstance(value, float):
        w = QDoubleSpinBox()
        w.setDecimals(4)
        w.setRange(-1e6, 1e6)
        w.setValue(value)
    elif isinstance(value, str) or value is None:
        w = QLineEdit("" if value is None else value)
        w.setProperty("none_if_empty", value is None)
    else:
        return None
    return w


def _option_value(w):
    if isinstance(w, QCheckBox):
        return w.isChecked()
    if isinstance(w, (QSpinBox, QDoubleSpinBox)):
        return w.value()
    text = w.text()
    return None if (not text and w.property("none_if_empty")) else text


def _connect(w, slot):
    if isinstance(w, QCheckBox):
        w.toggled.connect(slot)
    elif isinstance(w, (QSpinBox, QDoubleSpinBox)):
        w.valueChanged.connect(slot)
    else:
        w.textChanged.connect(slot)


# -- equations help ------------------------------------------------------------------
EQUATIONS = {
    "rnn": [("a", "a<t> = g(W_aa a<t-1> + W_ax x<t> + b_a) = g(W_a [a<t-1>, x<t>] + b_a)")],
    "gru-simple": [("c_tilde", "c̃<t> = tanh(W_c [c<t-1>, x<t>] + b_c)"),
                   ("gamma_u", "Γu = σ(W_u [c<t-1>, x<t>] + b_u)"),
                   ("c", "c<t> = Γu * c̃<t> + (1 − Γu) * c<t-1>"),
                   ("a", "a<t> = c<t>")],
    "gru": [("gamma_r", "Γr = σ(W_r [c<t-1>, x<t>] + b_r)"),
            ("c_tilde", "c̃<t> = tanh(W_c [Γr * c<t-1>, x<t>] + b_c)"),
            ("gamma_u", "Γu = σ(W_u [c<t-1>, x<t>] + b_u)"),
            ("c", "c<t> = Γu * c̃<t> + (1 − Γu) * c<t-1>"),
            ("a", "a<t> = c<t>")],
    "lstm": [("c_tilde", "c̃<t> = tanh(W_c [a<t-1>, x<t>] + b_c)"),
             ("gamma_u", "Γu = σ(W_u [a<t-1>, x<t>] + b_u)", QT_TRANSLATE_NOOP("Equations", "update / input gate")),
             ("gamma_f", "Γf = σ(W_f [a<t-1>, x<t>] + b_f)", QT_TRANSLATE_NOOP("Equations", "forget gate")),
             ("gamma_o", "Γo = σ(W_o [a<t-1>, x<t>] + b_o)", QT_TRANSLATE_NOOP("Equations", "output gate")),
             ("c", "c<t> = Γu * c̃<t> + Γf * c<t-1>"),
             ("a", "a<t> = Γo * tanh(c<t>)")],
}
NOTES = {
    "rnn": QT_TRANSLATE_NOOP("Equations", "g is the activation chosen for the run (the notes write σ; tanh is "
                                          "usual). W_a = [W_aa | W_ax]."),
    "gru-simple": QT_TRANSLATE_NOOP("Equations", "When Γu ≈ 0, c<t> ≈ c<t-1>: the cell holds a fact across many "
                                                 "steps and the gradient does not vanish along that path."),
    "gru": QT_TRANSLATE_NOOP("Equations", "Γr decides how relevant c<t-1> is to the candidate c̃<t>. (PyTorch's "
                                          "update gate z is 1 − Γu.)"),
    "lstm": QT_TRANSLATE_NOOP("Equations", "The notes write a<t> = Γo * c<t>; the standard LSTM applies tanh to "
                                           "c<t>, as here."),
}


def equations_html(state, units_shown: int = 6) -> str:
    """The cell's equations in the notes' notation, with the values at the cursor t filled in."""
    cfg, tr = state.model_config, state.trace
    if cfg is None:
        return "<p>" + translate("Equations", "No run yet: File ▸ New run.") + "</p>"
    cell = cfg.cell
    t = state.cursor
    rows = EQUATIONS.get(cell, [])
    part = None if tr is None else next(iter(tr.parts))
    vals = {}
    if tr is not None:
        keys = tr.parts[part][0][0]
        units = [u for u in (state.units or []) if u < cfg.hidden_size][:units_shown] or list(
            range(min(units_shown, cfg.hidden_size)))
        for k, arr in keys.items():
            if t < arr.shape[0]:
                vals[k] = [float(arr[t, 0, u]) for u in units]
        if t > 0 and "c" in keys:
            vals["c_prev"] = [float(keys["c"][t - 1, 0, u]) for u in units]
    else:
        units = []
    title = {"rnn": translate("Equations", "Vanilla RNN"), "gru-simple": translate("Equations", "Simplified GRU"),
             "gru": "GRU", "lstm": "LSTM"}[cell]
    variant = translate("Equations", " (PyTorch variant: Γr after the product)") if cfg.reset_after else ""
    where = (translate("Equations", "Layer 1, → forward direction, at t = {t}; units {units}.") if cfg.bidirectional
             else translate("Equations", "Layer 1, at t = {t}; units {units}."))
    out = [f"<h2>{title}{variant}</h2>",
           "<p style='color:#555'>" + where.format(t=t + 1, units=", ".join(str(u) for u in units) or "–") + " "
           + translate("Equations", "* is element-wise, σ the sigmoid, [·, ·] stacks two vectors.") + "</p>",
           "<table cellspacing='6' style='font-size:15pt'>"]
    for key, eq, *gate in rows:
        if gate:
            eq = f"{eq}   ({translate('Equations', gate[0])})"
        v = vals.get(key)
        shown = "" if v is None else "= [" + ", ".join(f"{x:+.3f}" for x in v) + "]"
        out.append(f"<tr><td><b>{html.escape(eq)}</b></td></tr>"
                   f"<tr><td style='color:#1c7ed6; font-family:monospace; padding-left:24px'>{shown}</td></tr>")
    out.append("</table>")
    if vals.get("c_prev") is not None:
        out.append("<p style='font-family:monospace'>c&lt;t-1&gt; = [" +
                   ", ".join(f"{x:+.3f}" for x in vals["c_prev"]) + "]</p>")
    out.append(f"<p>{html.escape(translate('Equations', NOTES[cell]) if cell in NOTES else '')}</p>")
    if cfg.num_layers > 1:
        out.append("<p>" + html.escape(translate("Equations", "Deep RNN: layer l reads a[l-1]<t> in place of x<t>: "
                   "a[l]<t> = g(W_a[l] [a[l]<t-1>, a[l-1]<t>] + b_a[l]).")) + "</p>")
    if cfg.bidirectional:
        out.append("<p>" + html.escape(translate("Equations", "Bidirectional: ŷ<t> = g(W_y [→a<t>, ←a<t>] + b_y)."))
                   + "</p>")
    out.append("<p>" + html.escape(translate("Equations", "Output: ŷ<t> = g(W_ya a<t> + b_y); "
                                                          "loss L = Σ_t L<t>(ŷ<t>, y<t>).")) + "</p>")
    return "".join(out)


class EquationsDialog(QDialog):
    """F1: the cell's equations with the current values at t (non-modal, follows the cursor)."""

    def __init__(self, state, parent=None):
        super().__init__(parent)
        self.setWindowTitle(translate("Equations", "Equations of the cell"))
        self.state = state
        self.resize(760, 620)
        lay = QVBoxLayout(self)
        self.text = QTextBrowser()
        f = QFont()
        f.setPointSize(14)
        self.text.setFont(f)
        lay.addWidget(self.text)
        state.cursor_changed.connect(self.refresh)
        state.run_changed.connect(self.refresh)
        self.refresh()

    def refresh(self, *_):
        if self.isVisible() or not self.text.toPlainText():
            self.text.setHtml(equations_html(self.state))

    def showEvent(self, e):
        self.text.setHtml(equations_html(self.state))
        super().showEvent(e)

    def changeEvent(self, e):
        super().changeEvent(e)
        if e.type() == QEvent.Type.LanguageChange:
            self.setWindowTitle(translate("Equations", "Equations of the cell"))
            self.text.setHtml(equations_html(self.state))
