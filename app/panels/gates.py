"""Gates Γ<t>: per layer and direction, a heatmap units × time for each gate of
the cell (Γu, Γr, Γf, Γo) and the candidate c̃, on fixed colour scales."""
from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout

from app import theme
from app.panels.base import Panel
from app.panels.common import CELL_NAMES, Unchanged, cell_of, label, set_text, step_labels, steps_of
from app.panels.heatmap import Heatmap
from app.panels.choosers import PartChooser

KEYS = ("gamma_u", "gamma_r", "gamma_f", "gamma_o", "c_tilde", "a")
MEANING = {
    "gamma_u": "Γu<t>  update gate",
    "gamma_r": "Γr<t>  relevance (reset) gate",
    "gamma_f": "Γf<t>  forget gate",
    "gamma_o": "Γo<t>  output gate",
    "c_tilde": "c̃<t>  candidate memory",
    "a": "a<t>  hidden state",
}
#: the maps each cell has (the vanilla RNN has no gates: its a<t> is shown instead)
CELL_KEYS = {"rnn": ("a",), "gru-simple": ("gamma_u", "c_tilde"), "gru": ("gamma_u", "gamma_r", "c_tilde"),
             "lstm": ("gamma_u", "gamma_f", "gamma_o", "c_tilde")}
NOTES = {
    "rnn": "It has no gates: a<t> = g(W_a [a<t-1>, x<t>] + b_a) is shown instead.",
    "gru-simple": "c<t> = Γu * c̃<t> + (1 − Γu) * c<t-1>: Γu ≈ 0 keeps the memory.",
    "gru": "Γr chooses how much of c<t-1> feeds c̃<t>; Γu ≈ 0 keeps the memory.",
    "lstm": "c<t> = Γu * c̃<t> + Γf * c<t-1>,  a<t> = Γo * tanh(c<t>).",
}


class GatesPanel(Panel):
    title = "Gates Γ<t>"
    object_id = "gates"

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.chooser = PartChooser()
        self.chooser.changed.connect(lambda: self.refresh(force=True))
        self.chooser.part.activated.connect(self.choose_axis)
        lay.addWidget(self.chooser)
        self.note = label("No run yet: start one to see the gates open and close.")
        lay.addWidget(self.note)
        self.maps = {}
        for key in KEYS:
            cmap, levels = theme.scale_for(key)
            hm = Heatmap(cmap=cmap, levels=levels)
            hm.set_title(MEANING[key])       # the colour bar beside it gives the fixed scale
            hm.clicked.connect(self._clicked)
            hm.setVisible(key != "a")
            lay.addWidget(hm, 1)
            self.maps[key] = hm
        self._unchanged = Unchanged()
        self.state.cursor_changed.connect(self.set_cursor)

    def set_cursor(self, t: int):
        for hm in self.maps.values():
            hm.set_cursor(t)

    def _clicked(self, t, unit):
        self.state.set_cursor(t)
        units = list(self.state.units)
        units = [u for u in units if u != unit] if unit in units else (units + [unit])[-6:]
        self.state.set_units(units)

    def redraw(self):
        tr = self.state.trace
        self.chooser.update_structure(tr)
        self.sync_axis()
        # training steps bump state.version every frame; the gates change only with a new trace
        if self._unchanged(tr, self.state.model_config, self.chooser.selection(tr)):
            return
        cell = cell_of(self.state, tr)
        if tr is None:
            set_text(self.note, f"No trace yet. {NOTES.get(cell, '')}" if self.state.model_config else
                              "No run yet: start one to see the gates open and close.")
            wanted = CELL_KEYS.get(cell, ()) if self.state.model_config else ()   # no Γr for an LSTM
            for key, hm in self.maps.items():
                hm.setVisible(key in wanted)
                hm.set_data(None)
            return
        p, l, d = self.chooser.selection(tr)
        keys = tr.parts[p][l][d]
        where = self.chooser.describe(tr)
        set_text(self.note, f"{CELL_NAMES.get(cell, cell)}{' — ' + where if where else ''}.  {NOTES.get(cell, '')}")
        has_gates = any(k in keys for k in theme.SIGMA_KEYS)
        labels = step_labels(self.state, p)
        for key, hm in self.maps.items():
            show = key in keys and (key != "a" or not has_gates)
            hm.setVisible(show)
            if show:
                arr = keys[key]
                T = steps_of(self.state, p, arr)
                hm.set_data(arr[:T, 0, :], MEANING[key].split()[0], labels)
            else:
                hm.set_data(None)
        self.set_cursor(self.state.cursor)
