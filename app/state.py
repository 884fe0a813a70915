"""The GUI-side view of a run: what every panel draws from. Lives in the GUI thread.

The bridge hands over packets (rnncore.session.Packet, see app/bridge/worker.py); the
main window feeds each to :meth:`DashboardState.apply`; panels read from here on each tick of the UI clock and never talk to the
worker. Everything held is read-only (snapshots and traces from rnncore).
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from rnncore.history import History


class DashboardState(QObject):
    """One run's newest data, the shared time cursor and the selected units.

    Attributes panels read:
      task          the rnncore Task (or None): ``describe(batch)`` gives tokens/labels
      model_config  rnncore ModelConfig of the run
      snapshot      newest rnncore.trainer.Snapshot (or None)
      trace         newest Trace of the display example (N = 1), kept until a newer one
      example       the display example (rnncore Batch, N = 1) the trace is of
      typed         the rnncore.inputs.Reading of a typed example once its trace is shown, or None:
                    its unknown tokens (read as ``oov``) and whether its target is known
      history       rnncore.history.History of every step's scalars (bounded memory)
      metrics       newest task metrics dict (task.evaluate), or {}
      cursor        the time step t every panel highlights (0-based)
      part          the time axis the cursor is on: "enc" (x<1..T_x>) or "dec" (y<1..T_y>) for an
                    encoder-decoder, else "" (one axis)
      units         selected hidden units (list of int), shared by panels
      version       increases whenever data changes; a panel may skip redrawing if unchanged
      weights       newest weights {name: read-only array} (Packet.weights), or None;
                    ``current_model()`` builds an rnncore Model from them
    """

    data_changed = Signal()
    cursor_changed = Signal(int)
    part_changed = Signal(str)
    units_changed = Signal(list)
    run_changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.task = None
        self.model_config = None
        self.train_config = None
        self.snapshot = None
        self.trace = None
        self.example = None
        self.typed = None
        self.history = History()
        self.metrics: dict = {}
        self.cursor = 0
        self.part = ""
        self.units: list[int] = []
        self.version = 0
        self.weights = None
        self._model_cache = (None, None)
        self.step = 0                    # optimizer steps taken (the newest packet's)
        self.rate = 0.0                  # steps per second, smoothed
        self.train_settings = None       # (lr, (clip mode, threshold)) the run trains with now

    # -- written by the bridge's packets ------------------------------------
    def apply(self, p) -> bool:
        """Take in one rnncore.session.Packet. → True if the run's lr or clipping changed."""
        if p.reset:
            self.reset_run(self.task, self.model_config, self.train_config, p.example)
            if p.history:
                self.set_history(History.from_state(p.history))
        if p.n:
            self.add_steps(p.steps, p.loss, p.grad_norm, p.grad_norm_clipped, p.clipped, p.snapshot)
        elif p.snapshot is not None:
            self.snapshot = p.snapshot
        if p.trace is not None:
            self.set_trace(p.trace, p.example)
        if p.metrics is not None:
            self.set_metrics(p.metrics)
        if p.weights is not None:
            self.set_weights(p.weights)
        if p.n and p.rate > 0:
            self.rate = p.rate if self.rate == 0 else 0.8 * self.rate + 0.2 * p.rate
        self.step = p.step
        settings = (p.lr, p.clip) if p.lr is not None and p.clip is not None else self.train_settings
        changed, self.train_settings = settings != self.train_settings, settings
        return changed

    # -- written by the main window -----------------------------------------
    def reset_run(self, task, model_config, train_config, example=None):
        self.task, self.model_config, self.train_config = task, model_config, train_config
        self.snapshot, self.trace, self.example, self.typed = None, None, example, None
        self.weights, self._model_cache = None, (None, None)
        self.history = History()
        self.metrics = {}
        self.cursor = 0
        self.part = "enc" if model_config is not None and model_config.shape == "encoder-decoder" else ""
        self.units = []
        self.version += 1
        self.run_changed.emit()
        self.data_changed.emit()

    def add_snapshot(self, snap):
        """Record one step's scalars; keep the snapshot and its trace if it has one."""
        if snap.ok:
            self.history.add(snap.step, snap.loss, snap.grad_norm, snap.grad_norm_clipped, snap.clipped)
        self.snapshot = snap
        if snap.trace is not None:
            self.set_trace(snap.trace)
        self.version += 1

    def add_steps(self, steps, loss, grad_norm, grad_norm_clipped, clipped, snapshot=None):
        """Record the scalars of many steps at once (one worker packet); keep the newest snapshot."""
        add = self.history.add
        for i in range(len(steps)):
            add(int(steps[i]), float(loss[i]), float(grad_norm[i]), float(grad_norm_clipped[i]), bool(clipped[i]))
        if snapshot is not None:
            self.snapshot = snapshot
        self.version += 1

    def set_history(self, history):
        """Replace the history (an opened run brings its past)."""
        self.history = history
        self.version += 1

    def set_trace(self, trace, example=None):
        self.trace = trace
        if example is not None:
            self.example = example
        self.cursor = min(self.cursor, self.steps - 1) if self.steps else 0
        self.version += 1

    def set_weights(self, weights):
        """The newest weights (a dict of read-only arrays from the worker), or None."""
        if weights is not None and weights is not self.weights:
            self.weights = weights
            self.version += 1

    def current_model(self):
        """An rnncore Model with the newest weights (one per weights object), or None."""
        if self.weights is None or self.model_config is None:
            return None
        w, model = self._model_cache
        if w is not self.weights:
            from rnncore.model import Model
            model = Model(self.model_config, 0)
            model.load_state_dict(self.weights)
            self._model_cache = (self.weights, model)
        return model

    def set_metrics(self, metrics: dict):
        self.metrics = metrics
        self.version += 1

    # -- the shared cursor and selection -------------------------------------
    @property
    def steps(self) -> int:
        """Time steps of the traced example: its own T_x (padding excluded); T_y for
        one-to-many (one input, T_y steps); for encoder-decoder those of the axis the cursor
        is on (T_x for the encoder, T_y for the decoder)."""
        if self.trace is None:
            return 0
        T_x = int(self.trace.lengths[0]) if self.trace.lengths.size else 0
        shape = self.model_config.shape if self.model_config is not None else None
        if shape == "one-to-many":
            return int(self.trace.logits.shape[0])
        if shape == "encoder-decoder":
            return int(self.trace.logits.shape[0]) if self.part == "dec" else T_x
        return T_x

    def token_at_cursor(self) -> str:
        """The example's input token at the cursor ('' if there is none, or on a decoder's axis)."""
        if self.task is None or self.example is None or self.part == "dec":
            return ""
        try:
            toks = self.task.describe(self.example, 0).get("x", [])
        except Exception:  # noqa: BLE001 - describe is a plug-in
            return ""
        return str(toks[self.cursor]) if self.cursor < len(toks) else ""

    def set_cursor(self, t: int, part: str | None = None):
        """Move the cursor to step t (of ``part``'s axis, for an encoder-decoder: "enc" or "dec")."""
        if part is not None and part != self.part and self.part:
            self.part = part
            self.cursor = -1                    # the same t on the other axis is another step
            self.version += 1                   # panels that follow the axis redraw
            self.part_changed.emit(part)
        t = int(np.clip(t, 0, max(self.steps - 1, 0)))
        if t != self.cursor:
            self.cursor = t
            self.cursor_changed.emit(t)

    def set_units(self, units):
        units = [int(u) for u in units]
        if units != self.units:
            self.units = units
            self.units_changed.emit(units)
