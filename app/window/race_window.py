"""Race window: RNN, simplified GRU, GRU and LSTM trained side by side, one view.

Three plots share one legend (one colour per cell): the loss of every step of
every cell; ‖∂L/∂a<t>‖ over the time steps of the display example (log scale:
how much gradient reaches each step back in time); and the task's metrics by
distance (or the task's own breakdown) when the user asks for an evaluation.

The race runs through the app's one bridge (app/bridge/worker.py): one
rnncore.session.Session per cell, stepped in turn off the GUI thread, in a
spawned child process by default or on a thread (``mode="thread"``, for tests).
Its signals arrive in the GUI thread, so everything here runs in the GUI thread.
"""
from __future__ import annotations

import sys

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QMainWindow, QPushButton, QSizePolicy, QVBoxLayout,
                               QWidget)

from rnncore.race import CELL_TITLES, RaceSpec, gradient_through_time

from .. import theme
from ..i18n import translate
from ..bridge.worker import Worker

def _cell(c: str) -> str:
    """A cell's name (rnncore.race.CELL_TITLES) in the interface's language."""
    return translate("Panel", CELL_TITLES.get(c, c))


_METRIC_ORDER = ("by_distance", "by_lag", "by_length", "by_attractors")
_SCALARS = ("accuracy", "exact_match", "mse", "perplexity")


def metric_series(metrics: dict | None):
    """(title, x label, {x: value}) of a task's metrics for the third plot, or None.

    The metrics by distance when the task has them, else its first breakdown by
    a number (attractors ...), else its headline scalar at x = 0."""
    if not metrics:
        return None
    names = [k for k in _METRIC_ORDER if isinstance(metrics.get(k), dict)]
    names += [k for k, v in metrics.items() if k not in names and isinstance(v, dict) and v
              and all(_number(x) for x in v) and all(_number(y) for y in v.values())]
    for k in names:
        v = metrics[k]
        if v and all(_number(x) for x in v) and all(_number(y) for y in v.values()):
            label = k[3:] if k.startswith("by_") else k
            title = (translate("RaceWindow", "accuracy by {what}") if "accuracy" in metrics
                     else translate("RaceWindow", "metric by {what}")).format(what=label)
            return (title, label,
                    {float(x): float(y) for x, y in v.items()})
    for k in _SCALARS:
        if _number(metrics.get(k)):
            return (k, "", {0.0: float(metrics[k])})
    return None


def _number(v) -> bool:
    if isinstance(v, str):
        try:
            float(v)
            return True
        except ValueError:
            return False
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) \
        and np.isfinite(float(v))


class RaceWindow(QMainWindow):
    """The race view. All methods run in the GUI thread."""

    finished = Signal()                 # the race loop ended (stop, close, or a failed start)
    packet_received = Signal(object)    # every packet (one cell's; tests and benchmarks)

    def __init__(self, spec: RaceSpec, mode: str = "process", poll_ms: int = 33, parent=None):
        super().__init__(parent)
        self.spec = spec
        self.setWindowTitle(translate("RaceWindow", "RNN Scope: race on {task}").format(task=spec.task))
        self.worker = Worker(mode, parent=self)
        w = self.worker
        w.packet_received.connect(self._handle)
        w.playing_changed.connect(self._show_playing)
        w.failed.connect(self._failed)
        w.finished.connect(self.finished)
        self.cells = tuple(spec.cells)
        self.losses = {c: [] for c in self.cells}
        self.steps = {c: [] for c in self.cells}
        self.flows = {}
        self.metrics = {}
        self.diverged = {}
        self.rounds = 0
        self.error = None               # the last exception of the race loop, in one line
        self._dirty = False
        self._build()
        self._timer = QTimer(self)          # redraws what arrived, at most every poll_ms
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self._redraw_if_changed)

    # -- widgets -----------------------------------------------------------------
    def _build(self):
        central = QWidget()
        lay = QVBoxLayout(central)
        bar = QHBoxLayout()
        self.play_button = QPushButton(translate("RaceWindow", "Play"))
        self.play_button.clicked.connect(self.toggle)
        self.step_button = QPushButton(translate("RaceWindow", "Step"))
        self.step_button.clicked.connect(self.step_once)
        self.eval_button = QPushButton(translate("RaceWindow", "Evaluate"))
        self.eval_button.setToolTip(translate("RaceWindow", "Compute the task's metrics for every cell (takes a moment)"))
        self.eval_button.clicked.connect(self.evaluate)
        self.reset_button = QPushButton(translate("RaceWindow", "Reset"))
        self.reset_button.clicked.connect(self.reset)
        for b in (self.play_button, self.step_button, self.eval_button, self.reset_button):
            bar.addWidget(b)
        self.status = QLabel(translate("RaceWindow", "Starting…"))
        self.status.setFont(theme.font())
        # its text changes every frame: it must never resize the window (nor ask the platform to)
        self.status.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.status.setMinimumWidth(200)
        bar.addWidget(self.status, 1)
        lay.addLayout(bar)

        plots = QHBoxLayout()
        self.loss_plot = self._plot(translate("RaceWindow", "step"), translate("RaceWindow", "loss L"),
                                   translate("RaceWindow", "Loss while training"))
        self.flow_plot = self._plot("t", "‖∂L/∂a<t>‖", translate("RaceWindow", "Gradient through time"))
        self.flow_plot.getPlotItem().setLogMode(y=True)
        self.metric_plot = self._plot(translate("RaceWindow", "distance"), translate("RaceWindow", "accuracy"),
                                     translate("RaceWindow", "Metrics by distance (press Evaluate)"))
        for p in (self.loss_plot, self.flow_plot, self.metric_plot):
            plots.addWidget(p, 1)
        lay.addLayout(plots, 1)
        legend = QHBoxLayout()
        self.loss_curves, self.flow_curves, self.metric_curves = {}, {}, {}
        for i, c in enumerate(self.cells):
            col = theme.color(i)
            self.loss_curves[c] = self.loss_plot.getPlotItem().plot([], [], pen=theme.pen(col, 2), name=c)
            self.loss_curves[c].setClipToView(True)
            self.loss_curves[c].setDownsampling(auto=True, method="mean")
            self.flow_curves[c] = self.flow_plot.getPlotItem().plot([], [], pen=theme.pen(col, 2.5), symbol="o",
                                                                    symbolSize=6, symbolBrush=col, symbolPen=None)
            self.metric_curves[c] = self.metric_plot.getPlotItem().plot([], [], pen=theme.pen(col, 2), symbol="s",
                                                                        symbolSize=7, symbolBrush=col,
                                                                        symbolPen=None)
            key = QLabel(f'<span style="color:{col}; font-weight:bold">━━</span> {_cell(c)}')
            key.setFont(theme.font())
            legend.addWidget(key)
        legend.addStretch(1)
        lay.addLayout(legend)
        self.setCentralWidget(central)
        self.resize(1400, 520)

    @staticmethod
    def _plot(x, y, title):
        w = pg.PlotWidget(background=theme.BACKGROUND)
        theme.style_plot(w.getPlotItem(), x, y, title)
        w.setMinimumHeight(160)
        return w

    # -- the race off the GUI thread (the bridge) -------------------------------------
    @property
    def running(self) -> bool:
        return self.worker.running

    @property
    def playing(self) -> bool:
        return self.worker.playing

    def start(self):
        """Build the race off the GUI thread (paused at round 0)."""
        self._clear()
        self.worker.start(self.spec, name="rnnscope-race")
        self._timer.start()

    def stop(self, timeout: float = 2.0) -> bool:
        """End the race loop; a child process that does not end in ``timeout`` s is killed.
        True if it ended by itself."""
        self._timer.stop()
        return self.worker.stop(timeout)

    def play(self):
        self.worker.play()

    def pause(self):
        self.worker.pause()

    def toggle(self):
        self.worker.toggle()

    def step_once(self, n: int = 1):
        """``n`` rounds: one optimizer step of every cell each."""
        self.worker.step_once(n)

    def evaluate(self):
        self.status.setText(translate("RaceWindow", "Evaluating every cell…"))
        self.worker.evaluate()

    def reset(self):
        self.worker.reset()

    def _show_playing(self, on: bool):
        self.play_button.setText(translate("RaceWindow", "Pause") if on else translate("RaceWindow", "Play"))

    # -- packets -------------------------------------------------------------------
    def _clear(self):
        for c in self.cells:
            self.losses[c], self.steps[c] = [], []
        self.flows, self.metrics, self.diverged, self.rounds_of = {}, {}, {}, {}
        self.rounds = 0
        self.error = None
        self._dirty = True

    def _handle(self, p):
        """One cell's packet (``p.source`` names the cell)."""
        c = p.source
        if c not in self.losses:
            return
        if p.reset:
            self.losses[c], self.steps[c] = [], []
            self.metrics.pop(c, None)
            self.diverged.pop(c, None)
        if p.n:
            self.steps[c].extend(p.steps.tolist())
            self.losses[c].extend(p.loss.tolist())
        if p.trace is not None:
            self.flows[c] = gradient_through_time(p.trace)
        if p.metrics:
            self.metrics[c] = p.metrics
        if p.diverged:
            self.diverged[c] = p.diverged
        self.rounds_of[c] = p.step
        self.rounds = max(self.rounds_of.values())
        self._dirty = True
        self.packet_received.emit(p)

    def _failed(self, text: str):
        self.error = text.strip().splitlines()[-1]
        self.status.setText(translate("RaceWindow", "Error: {error}").format(error=self.error))

    def _redraw_if_changed(self):
        if self._dirty:
            self.redraw()

    def redraw(self):
        self._dirty = False
        for c in self.cells:
            if self.steps[c]:
                self.loss_curves[c].setData(np.asarray(self.steps[c], float), np.asarray(self.losses[c], float))
            else:
                self.loss_curves[c].setData([], [])
            f = self.flows.get(c)
            if f is not None and len(f):
                self.flow_curves[c].setData(np.arange(1, len(f) + 1, dtype=float), np.maximum(f, 1e-30))
            else:
                self.flow_curves[c].setData([], [])
        series = {c: metric_series(self.metrics.get(c)) for c in self.cells}
        title = next((s[0] for s in series.values() if s), None)
        if title:
            self.metric_plot.getPlotItem().setTitle(theme.rich(title), size=f"{theme.TITLE_PT}pt",
                                                    color=theme.FOREGROUND)
            self.metric_plot.getPlotItem().setLabel("bottom", theme.rich(next(s[1] for s in series.values() if s)))
        for c in self.cells:
            s = series[c]
            if s:
                xs = np.array(sorted(s[2]), float)
                self.metric_curves[c].setData(xs, np.array([s[2][x] for x in xs], float))
            else:
                self.metric_curves[c].setData([], [])
        stopped = "; ".join(translate("RaceWindow", "{cell} stopped").format(cell=_cell(c))
                            for c in self.diverged)
        last = "  ".join(f"{_cell(c)} {self.losses[c][-1]:.3g}" for c in self.cells if self.losses[c])
        self.status.setText(translate("RaceWindow", "round {n}").format(n=self.rounds) + f"   {last}"
                            + (f"   ({stopped})" if stopped else "")
                            + ("   " + translate("RaceWindow", "Error: {error}").format(error=self.error)
                               if self.error else ""))

    def closeEvent(self, e):
        self.stop()
        super().closeEvent(e)


def main(argv=None) -> int:
    """``python -m app.window.race_window [task]``: race the four cells on a task."""
    from PySide6.QtWidgets import QApplication
    argv = sys.argv[1:] if argv is None else argv
    app = QApplication.instance() or QApplication([sys.argv[0]])
    win = RaceWindow(RaceSpec(argv[0] if argv else "agreement"))
    win.show()
    win.start()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
