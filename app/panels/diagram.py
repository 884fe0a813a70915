"""The cell as a diagram, in the notes' symbols, with its live values at t.

Boxes are the σ gates (Γu, Γr, Γf, Γo) and the tanh candidate c̃; circles are
⊙ (element-wise product), + and 1 − ·; arrows carry a<t-1>, x<t>, c<t-1> to
c<t> and a<t>. Each box is filled with the colour of its value (the gates'
σ scale) and shows the mean over the units at the cursor t, or the value of
the selected unit. The items are built once per kind of cell; a redraw only
changes texts and fills.

"Step through one update" runs the next optimizer step of a private copy of
the model (rnncore.trainer.Trainer.phased_step; the real run is untouched),
one phase per press: forward → loss → backprop → clip → update, and writes on
each gate what the phase produced for that gate's weights W_· = [W_·a | W_·x], b_·.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from app import theme
from app.i18n import translate
from app.insight.jobs import Jobs, model_from
from app.panels.base import Panel
from app.panels.common import Unchanged, cell_of, label, set_text, step_labels, steps_of
from app.panels.cell_drawing import CellDiagram, fill
from app.panels.choosers import PartChooser, cell_name
from rnncore.naming import gate_norms, param_name

EQUATIONS = {
    "lstm": "c<t> = Γu * c̃<t> + Γf * c<t-1>      a<t> = Γo * tanh(c<t>)",
    "gru": "c̃<t> = tanh(W_c [Γr * c<t-1>, x<t>] + b_c)      c<t> = Γu * c̃<t> + (1 − Γu) * c<t-1>",
    "gru-simple": "c<t> = Γu * c̃<t> + (1 − Γu) * c<t-1>",
    "rnn": "a<t> = g(W_a [a<t-1>, x<t>] + b_a)",
}
PHASE_WORDS = {
    "forward": QT_TRANSLATE_NOOP("CellDiagramPanel", "Forward: each gate reads [a<t-1>, x<t>] through its weights; "
                                                     "c<t> and a<t> follow."),
    "loss": QT_TRANSLATE_NOOP("CellDiagramPanel", "Loss: L = Σ_t L<t> compares ŷ<t> with y<t>."),
    "backprop": QT_TRANSLATE_NOOP("CellDiagramPanel", "Backprop through time: ‖∂L/∂W‖ of each gate's weights (all "
                                                      "steps, the whole batch)."),
    "clip": QT_TRANSLATE_NOOP("CellDiagramPanel", "Clip: the global gradient norm is rescaled to the threshold when "
                                                  "it is larger."),
    "update": QT_TRANSLATE_NOOP("CellDiagramPanel", "Update: the optimizer changes each gate's weights by ΔW."),
}
#: the phases' names on their buttons
PHASE_NAMES = {"forward": QT_TRANSLATE_NOOP("CellDiagramPanel", "forward"),
               "loss": QT_TRANSLATE_NOOP("CellDiagramPanel", "loss"),
               "backprop": QT_TRANSLATE_NOOP("CellDiagramPanel", "backprop"),
               "clip": QT_TRANSLATE_NOOP("CellDiagramPanel", "clip"),
               "update": QT_TRANSLATE_NOOP("CellDiagramPanel", "update")}


def _words(name: str) -> str:
    return translate("CellDiagramPanel", PHASE_WORDS[name])


# -- phases (pool thread) ---------------------------------------------------------------
def phases_job(task, config, train_config, weights) -> list:
    """Pool thread: every Phase of the next optimizer step of a private copy of the model.

    The generator runs to its end in this one thread (its np.errstate context
    cannot be resumed in another); the GUI then shows the phases one per press."""
    from rnncore.trainer import phases_of_next_step
    return phases_of_next_step(model_from(config, weights), task, train_config)


class CellDiagramPanel(Panel):
    title = QT_TRANSLATE_NOOP("Panel", "Cell diagram at t")
    object_id = "cell"

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        self.chooser = PartChooser()
        self.chooser.changed.connect(self._chosen)
        top.addWidget(self.chooser, 1)
        self.which = QComboBox()
        self.which.setFont(theme.font())
        self.which.addItem(translate("CellDiagramPanel", "mean over units"), "mean")
        self.which.addItem(translate("CellDiagramPanel", "selected unit"), "unit")
        self.which.currentIndexChanged.connect(self._chosen)
        top.addWidget(self.which)
        lay.addLayout(top)
        self.note = label(translate("CellDiagramPanel", "No run yet."))
        lay.addWidget(self.note)
        self.view = CellDiagram()
        self.view.setMinimumHeight(220)
        lay.addWidget(self.view, 1)
        row = QHBoxLayout()
        self.phase_button = QPushButton(translate("CellDiagramPanel", "Step through one update ▸"))
        self.phase_button.setFont(theme.font())
        self.phase_button.setToolTip(theme.tip(translate(
            "CellDiagramPanel", "One phase per press on a copy of the model: forward → loss → backprop → clip → "
                                "update (the run itself is not changed)")))
        self.phase_button.clicked.connect(self.next_phase)
        row.addWidget(self.phase_button)
        self.phase_labels = {}
        for name in ("forward", "loss", "backprop", "clip", "update"):
            lab = QLabel(translate("CellDiagramPanel", PHASE_NAMES[name]))
            lab.setFont(theme.font())
            lab.setAlignment(Qt.AlignCenter)
            lab.setStyleSheet("padding:3px 8px; border-radius:4px; color:#9aa0a6;")
            row.addWidget(lab)
            self.phase_labels[name] = lab
        row.addStretch(1)
        lay.addLayout(row)
        self.phase_text = label("")
        lay.addWidget(self.phase_text)
        self.phase = None                    # newest rnncore Phase shown
        self.phases: list = []               # the phases of one update still to show
        self.jobs = Jobs(self, min_interval=0.0)
        self.jobs.finished.connect(self._phase_ready)
        self.jobs.failed.connect(self._phase_failed)
        self._unchanged = Unchanged()
        self._run = None
        self.state.cursor_changed.connect(self._cursor)
        self.state.units_changed.connect(self._units)

    def _chosen(self, *_):
        self.refresh(force=True)

    def _cursor(self, _t):
        self.refresh(force=True)

    def _units(self, _u):
        if self.which.currentData() == "unit" or not self.state.units:
            self.refresh(force=True)
        elif self.state.units:
            self.which.setCurrentIndex(1)

    # -- phases (GUI thread) ---------------------------------------------------------------
    def next_phase(self):
        st = self.state
        if st.model_config is None or st.weights is None or st.task is None or not hasattr(st.task, "batch"):
            set_text(self.phase_text, translate("CellDiagramPanel", "Phases need a task to draw a batch from and "
                                                                   "the model's weights."))
            return
        if self.jobs.busy:
            return
        if self.phase is not None and not self.phases:     # after "update": the step is done
            self.phase = None
            set_text(self.phase_text, translate("CellDiagramPanel", "The update is done. Press again to step through "
                                                                "another one (from the newest weights of the run)."))
            self._show_phase()
            return
        if self.phases:
            self.phase = self.phases.pop(0)
            self._show_phase()
            return
        from rnncore.config import TrainConfig
        self.phase_button.setEnabled(False)
        set_text(self.phase_text, translate("CellDiagramPanel", "computing one optimizer step on a copy of the model …"))
        self.jobs.run_now(phases_job, st.task, st.model_config, st.train_config or TrainConfig(), st.weights)

    def show_phases(self, phases: list, name: str) -> None:
        """Show phase ``name`` of ``phases`` (one update, computed elsewhere); the button goes on from it."""
        names = [ph.name for ph in phases]
        i = names.index(name) if name in names else 0
        self.phase, self.phases = phases[i], list(phases[i + 1:])
        self._show_phase()

    def _phase_failed(self, _n, message):
        self.phase_button.setEnabled(True)
        self.phases = []
        set_text(self.phase_text, translate("CellDiagramPanel", "Could not step: {message}").format(message=message))

    def _phase_ready(self, _n, phases):
        self.phase_button.setEnabled(True)
        self.phases = list(phases)
        if self.phases:
            self.phase = self.phases.pop(0)
        self._show_phase()

    def _show_phase(self):
        ph = self.phase
        for name, lab in self.phase_labels.items():
            on = ph is not None and ph.name == name
            lab.setStyleSheet("padding:3px 8px; border-radius:4px; " +
                              (f"background:{theme.CURSOR}; color:white; font-weight:bold;" if on
                               else "color:#9aa0a6;"))
        v = self.view
        for g in v.extras:
            v.set_extra(g, "")
        v.set_edge_colour(theme.FOREGROUND)
        if ph is None:
            return
        st = self.state
        cfg = st.model_config
        p, l, d = self.chooser.selection(st.trace) or ("rnn", 0, 0)
        gates = cfg.gates if cfg is not None else ()
        d_ = ph.data
        if ph.name == "forward":
            v.set_edge_colour(theme.ACCENT, 2.4)
            text = _words("forward")
        elif ph.name == "loss":
            per = np.asarray(d_["per_step"])
            text = _words("loss") + "  " + (
                translate("CellDiagramPanel", "L = {loss} over the batch ({n} steps)") if per.size > 1 else
                translate("CellDiagramPanel", "L = {loss} over the batch")).format(loss=f"{float(d_['loss']):.4f}",
                                                                                   n=len(per))
        elif ph.name in ("backprop", "clip"):
            v.set_edge_colour(theme.BAD, 2.4)
            text = _words(ph.name)
            if ph.name == "clip":
                text += "  " + (translate("CellDiagramPanel", "‖g‖ = {before} → {after} (clipped), mode {mode}, "
                                                              "threshold {threshold}.") if d_['clipped'] else
                                translate("CellDiagramPanel", "‖g‖ = {before} → {after} (not clipped), mode {mode}, "
                                                              "threshold {threshold}.")).format(
                    before=f"{d_['norm']:.3g}", after=f"{d_['norm_after']:.3g}", mode=d_['mode'],
                    threshold=f"{d_['threshold']:g}")
            norms = d_.get("grad_norms", {})
            base = param_name(p, l, d)
            parts = [f"‖∂L/∂{k}‖ = {norms[base + k]:.2e}" for k in ("Wx", "Wh", "b") if base + k in norms]
            text += "  " + translate("CellDiagramPanel", "This layer:") + " " + ", ".join(parts) if parts else ""
        else:
            v.set_edge_colour(theme.GOOD, 2.4)
            delta = gate_norms(d_["delta"], cfg, gates, p, l, d)
            for g, n in delta.items():
                v.set_extra(g, f"‖ΔW‖ {n:.1e}")
            text = _words("update") + "  " + translate("CellDiagramPanel", "(learning rate α = {lr})").format(
                lr=f"{d_['lr']:g}")
        set_text(self.phase_text, text)

    # -- values at t --------------------------------------------------------------------------
    def redraw(self):
        st = self.state
        tr = st.trace
        cell = cell_of(st, tr)
        self.view.build(cell)
        self.chooser.update_structure(tr)
        sel = self.chooser.selection(tr)
        run = (st.task, st.model_config)
        if self._run is None or run[0] is not self._run[0] or run[1] is not self._run[1]:
            self._run = run
            self.phase, self.phases = None, []
            self._show_phase()
            set_text(self.phase_text, "")
        if self._unchanged(tr, st.model_config, sel, st.cursor, tuple(st.units), self.which.currentIndex()):
            return
        eq = EQUATIONS.get(cell, "")
        if tr is None:
            set_text(self.note, f"{cell_name(cell)}: {eq}" +
                     ("   " + (translate("CellDiagramPanel", "(no trace yet)") if st.model_config
                              else translate("CellDiagramPanel", "(no run yet)"))))
            for name in list(self.view.values):
                self.view.set_value(name, "")
            return
        p, l, d = sel
        keys = tr.parts[p][l][d]
        T = steps_of(st, p, keys["a"])
        t = min(st.cursor, max(T - 1, 0))
        H = keys["a"].shape[-1]
        unit = next((u for u in st.units if u < H), None) if self.which.currentData() == "unit" else None

        def val(key, step):
            if key not in keys or step < 0:
                return 0.0                       # a<0> = 0, c<0> = 0
            row = np.asarray(keys[key][step, 0], float)
            return float(row[unit]) if unit is not None else float(row.mean())

        sig = theme.sigma_cmap()
        div = theme.diverging_cmap()
        for g in ("gamma_u", "gamma_r", "gamma_f", "gamma_o"):
            if g in keys:
                x = val(g, t)
                self.view.set_value(g, f"{g.replace('gamma_', 'Γ')} = {x:.3f}", fill(sig, x))
        if "c_tilde" in keys:
            x = val("c_tilde", t)
            self.view.set_value("c_tilde", f"c̃ = {x:+.3f}", fill(div, (x + 1) / 2))
        if cell == "rnn":
            x = val("a", t)
            self.view.set_value("a_pre", f"a = {x:+.3f}", fill(div, (x + 1) / 2))
        for name, key, step in (("c_prev", "c", t - 1), ("c", "c", t), ("a_prev", "a", t - 1), ("a", "a", t)):
            self.view.set_value(name, f"{val(key, step):+.3f}")
        toks = step_labels(st, p) or []
        if l > 0:                                # a deep RNN's layer reads the layer below (§2)
            self.view.set_value("x", translate("CellDiagramPanel", "= a[{l}]<t> from layer [{l}]").format(l=l))
        else:
            self.view.set_value("x", f"“{toks[t]}”" if t < len(toks) else f"t = {t + 1}")
        what = (translate("CellDiagramPanel", "unit {unit}").format(unit=unit) if unit is not None
                else translate("CellDiagramPanel", "mean over the {n} units").format(n=H))
        where = self.chooser.describe(tr)
        set_text(self.note, f"{cell_name(cell)}{' — ' + where if where else ''}, t = {t + 1}, {what}.   {eq}")
        self._show_phase()

