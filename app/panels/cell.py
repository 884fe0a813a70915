"""The cell at step t: the notes' equations of the chosen cell with the values of
one unit filled in, so Γu * c̃<t> + Γf * c<t-1> = c<t> can be checked by eye.

The numbers come from the trace; c<t> and a<t> are also recomputed from the
gates shown, and the check mark says they agree (they do, up to rounding).
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QVBoxLayout

from app import theme
from app.panels.base import Panel
from app.panels.common import CELL_NAMES, PartChooser, Unchanged, cell_of, label, set_text, step_labels, steps_of
from app.panels.memory import most_active


def _v(x: float) -> str:
    return f"{x:+.3f}" if np.isfinite(x) else "?"


def _b(text: str) -> str:
    return f"<b>{text}</b>"


class CellPanel(Panel):
    title = "Cell at step t"
    object_id = "cell"

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 4, 6, 4)
        top = QHBoxLayout()
        self.chooser = PartChooser()
        self.chooser.changed.connect(lambda: self.refresh(force=True))
        top.addWidget(self.chooser, 1)
        unit_label = QLabel("unit")
        unit_label.setFont(theme.font())
        top.addWidget(unit_label)
        self.unit = QSpinBox()
        self.unit.setFont(theme.font())
        self.unit.setRange(0, 0)
        self.unit.valueChanged.connect(self._unit_changed)
        top.addWidget(self.unit)
        lay.addLayout(top)
        self.head = label("No run yet.")
        lay.addWidget(self.head)
        self.eqs = label("", pt=theme.TITLE_PT + 2)
        self.eqs.setStyleSheet(f"background:{theme.BACKGROUND}; padding:10px;")
        self.eqs.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        lay.addWidget(self.eqs, 1)
        self._unchanged = Unchanged()
        self._auto_unit = True
        self._quiet = False
        self.state.cursor_changed.connect(lambda _t: self.refresh(force=True))
        self.state.units_changed.connect(self._units_picked)

    def _unit_changed(self, _u):
        if not self._quiet:
            self._auto_unit = False
            self.refresh(force=True)

    def _units_picked(self, units):
        if units:
            self._auto_unit = False
            self._quiet = True
            self.unit.setValue(units[-1])
            self._quiet = False
            self.refresh(force=True)

    def redraw(self):
        st = self.state
        tr = st.trace
        self.chooser.update_structure(tr)
        sel = self.chooser.selection(tr)
        if self._unchanged(tr, st.model_config, sel, st.cursor, self.unit.value(), self._auto_unit):
            return
        if tr is None:
            set_text(self.head, "No trace yet." if st.model_config else "No run yet.")
            self.eqs.setText("")
            return
        p, l, d = sel
        keys = tr.parts[p][l][d]
        T = steps_of(st, p, keys["a"])
        H = keys["a"].shape[-1]
        if self.unit.maximum() != H - 1:
            self._quiet = True
            self.unit.setRange(0, H - 1)
            self._quiet = False
        if self._auto_unit:               # default: the most active unit
            u = (most_active(keys["c"][:T, 0, :], 1) or [0])[0]
            self._quiet = True
            self.unit.setValue(u)
            self._quiet = False
        u = self.unit.value()
        t = min(st.cursor, T - 1)
        cell = cell_of(st, tr)
        prev = t - 1 if d == 0 else t + 1          # ← reads the sequence backwards
        has_prev = 0 <= prev < T
        tp = f"t{'-' if d == 0 else '+'}1"
        val = {k: float(v[t, 0, u]) for k, v in keys.items()}
        # a decoder starts from the encoder's final state, which this part's trace does not hold
        from_encoder = p == "dec" and not has_prev
        c_prev = float(keys["c"][prev, 0, u]) if has_prev else (np.nan if from_encoder else 0.0)
        a_prev = float(keys["a"][prev, 0, u]) if has_prev else (np.nan if from_encoder else 0.0)
        words = step_labels(st, p)
        word = f" ({words[t]})" if words and t < len(words) else ""
        where = self.chooser.describe(tr)
        set_text(self.head, f"{CELL_NAMES.get(cell, cell)}{' — ' + where if where else ''}: "
                            f"unit {u} at t = {t + 1}{word}"
                            + ("" if has_prev else "   (the decoder starts from the encoder's final state)"
                               if from_encoder else f"   (c<{tp}> = a<{tp}> = 0: the sequence starts here)"))
        r = theme.rich
        lines = []
        given = [f"x<t> = {words[t]}"] if words and t < len(words) else []
        given.append(f"a<{tp}> = {_v(a_prev)}" if cell in ("rnn", "lstm") else f"c<{tp}> = a<{tp}> = {_v(c_prev)}")
        if cell == "lstm":
            given.append(f"c<{tp}> = {_v(c_prev)}")
        lines.append(f'<span style="color:#555555">{r(",   ".join(given))}</span>')
        if cell == "rnn":
            lines.append(r(f"a<t> = g(W_aa a<{tp}> + W_ax x<t> + b_a) = ") + _b(_v(val["a"])))
        else:
            if "gamma_r" in val:
                lines.append(r(f"Γr = σ(W_r [c<{tp}>, x<t>] + b_r) = ") + _b(_v(val["gamma_r"])))
            prev_sym = "a" if cell == "lstm" else "c"
            inner = f"Γr * c<{tp}>" if "gamma_r" in val else f"{prev_sym}<{tp}>"
            lines.append(r(f"c̃<t> = tanh(W_c [{inner}, x<t>] + b_c) = ") + _b(_v(val["c_tilde"])))
            lines.append(r(f"Γu = σ(W_u [{prev_sym}<{tp}>, x<t>] + b_u) = ") + _b(_v(val["gamma_u"])))
            if cell == "lstm":
                lines.append(r(f"Γf = σ(W_f [a<{tp}>, x<t>] + b_f) = ") + _b(_v(val["gamma_f"])))
                lines.append(r(f"Γo = σ(W_o [a<{tp}>, x<t>] + b_o) = ") + _b(_v(val["gamma_o"])))
                c_now = val["gamma_u"] * val["c_tilde"] + val["gamma_f"] * c_prev
                a_now = val["gamma_o"] * np.tanh(val["c"])
                lines.append(r(f"c<t> = Γu * c̃<t> + Γf * c<{tp}> = {val['gamma_u']:.3f} × {_v(val['c_tilde'])} + "
                               f"{val['gamma_f']:.3f} × {_v(c_prev)} = ") + _b(_v(val["c"])) + _check(c_now, val["c"]))
                lines.append(r(f"a<t> = Γo * tanh(c<t>) = {val['gamma_o']:.3f} × tanh({_v(val['c'])}) = ")
                             + _b(_v(val["a"])) + _check(a_now, val["a"]))
            else:
                c_now = val["gamma_u"] * val["c_tilde"] + (1 - val["gamma_u"]) * c_prev
                lines.append(r(f"c<t> = Γu * c̃<t> + (1 − Γu) * c<{tp}> = {val['gamma_u']:.3f} × "
                               f"{_v(val['c_tilde'])} + {1 - val['gamma_u']:.3f} × {_v(c_prev)} = ")
                             + _b(_v(val["c"])) + _check(c_now, val["c"]))
                lines.append(r("a<t> = c<t> = ") + _b(_v(val["a"])))
                if val["gamma_u"] < 0.1:
                    lines.append(r("Γu ≈ 0: the memory is kept, c<t> ≈ c<t-1>."))
            if cell == "lstm" and val["gamma_f"] > 0.9 and val["gamma_u"] < 0.1:
                lines.append(r("Γf ≈ 1 and Γu ≈ 0: the memory is kept, c<t> ≈ c<t-1>."))
        self.eqs.setText("<br>".join(lines))


def _check(recomputed: float, traced: float) -> str:
    if not np.isfinite(recomputed):
        return ""
    ok = abs(recomputed - traced) <= 1e-4 * max(1.0, abs(traced))
    return (f' <span style="color:{theme.GOOD}">✓</span>' if ok
            else f' <span style="color:{theme.BAD}">≠ {recomputed:+.3f}</span>')
