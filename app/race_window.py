"""Race window: RNN, simplified GRU, GRU and LSTM trained side by side, one view.

Three plots share one legend (one colour per cell): the loss of every step of
every cell; ‖∂L/∂a<t>‖ over the time steps of the display example (log scale:
how much gradient reaches each step back in time); and the task's metrics by
distance (or the task's own breakdown) when the user asks for an evaluation.

The race itself (:func:`rnncore.race.race_loop`) runs off the GUI thread, in a
spawned child process by default (no GIL shared with the GUI, as the app's
worker does) or on a thread (``mode="thread"``, for tests). Packets are read by
a QTimer in the GUI thread, so everything here runs in the GUI thread.
"""
from __future__ import annotations

import queue
import sys
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QMainWindow, QPushButton, QSizePolicy, QVBoxLayout,
                               QWidget)

from rnncore.race import CELL_TITLES, RacePacket, RaceSpec, child_main, race_loop

from . import theme
from .child import ChildLoop

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
            return (f"{'accuracy' if 'accuracy' in metrics else 'metric'} by {label}", label,
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
    packet_received = Signal(object)    # every RacePacket (tests and benchmarks)

    def __init__(self, spec: RaceSpec, mode: str = "process", poll_ms: int = 33, parent=None):
        super().__init__(parent)
        if mode not in ("process", "thread"):
            raise ValueError(f"mode must be 'process' or 'thread', got {mode!r}")
        self.spec, self.mode = spec, mode
        self.setWindowTitle(f"RNN Scope: race on {spec.task}")
        self._loop: ChildLoop | None = None
        self.running = self.playing = False
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
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self._poll)

    # -- widgets -----------------------------------------------------------------
    def _build(self):
        central = QWidget()
        lay = QVBoxLayout(central)
        bar = QHBoxLayout()
        self.play_button = QPushButton("Play")
        self.play_button.clicked.connect(self.toggle)
        self.step_button = QPushButton("Step")
        self.step_button.clicked.connect(self.step_once)
        self.eval_button = QPushButton("Evaluate")
        self.eval_button.setToolTip("Compute the task's metrics for every cell (takes a moment)")
        self.eval_button.clicked.connect(self.evaluate)
        self.reset_button = QPushButton("Reset")
        self.reset_button.clicked.connect(self.reset)
        for b in (self.play_button, self.step_button, self.eval_button, self.reset_button):
            bar.addWidget(b)
        self.status = QLabel("Starting…")
        self.status.setFont(theme.font())
        # its text changes every frame: it must never resize the window (nor ask the platform to)
        self.status.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.status.setMinimumWidth(200)
        bar.addWidget(self.status, 1)
        lay.addLayout(bar)

        plots = QHBoxLayout()
        self.loss_plot = self._plot("step", "loss L", "Loss while training")
        self.flow_plot = self._plot("t", "‖∂L/∂a<t>‖", "Gradient through time")
        self.flow_plot.getPlotItem().setLogMode(y=True)
        self.metric_plot = self._plot("distance", "accuracy", "Metrics by distance (press Evaluate)")
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
            key = QLabel(f'<span style="color:{col}; font-weight:bold">━━</span> {CELL_TITLES.get(c, c)}')
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

    # -- the race off the GUI thread -----------------------------------------------
    def start(self):
        """Build the race off the GUI thread (paused at round 0)."""
        if self.running:
            self.stop()
        self._clear()
        self._loop = ChildLoop(self.mode, "rnnscope-race")
        self._loop.start(self.spec, child_main, race_loop)
        self.running = True
        self._set_playing(False)
        self._timer.start()

    def stop(self, timeout: float = 2.0) -> bool:
        """End the race loop; a child process that does not end in ``timeout`` s is killed.
        True if it ended by itself."""
        if not self.running:
            return True
        clean = self._loop.stop(timeout)
        self._timer.stop()
        self.running = False
        self._set_playing(False)
        self.finished.emit()
        return clean

    def _alive(self):
        return self._loop is not None and self._loop.alive()

    def _send(self, name, value=None):
        if self.running:
            self._loop.send(name, value)

    # -- commands ------------------------------------------------------------------
    def play(self):
        self._send("play")
        self._set_playing(True)

    def pause(self):
        self._send("pause")
        self._set_playing(False)

    def toggle(self):
        self.pause() if self.playing else self.play()

    def step_once(self, n: int = 1):
        """``n`` rounds: one optimizer step of every cell each."""
        if self.playing:
            self.pause()
        self._send("step", int(n))

    def evaluate(self):
        self.status.setText("Evaluating every cell…")
        self._send("evaluate")

    def reset(self):
        self._send("reset")
        self._set_playing(False)

    def _set_playing(self, on: bool):
        self.playing = on
        self.play_button.setText("Pause" if on else "Play")

    # -- packets -------------------------------------------------------------------
    def _clear(self):
        for c in self.cells:
            self.losses[c], self.steps[c] = [], []
        self.flows, self.metrics, self.diverged = {}, {}, {}
        self.rounds = 0
        self.error = None
        self._dirty = True

    def _poll(self):
        deadline = time.perf_counter() + 0.008
        while time.perf_counter() < deadline:
            try:
                p = self._loop.take()
            except queue.Empty:
                break
            except (OSError, EOFError, ValueError):
                self.status.setText("The race process ended unexpectedly.")
                self.stop(0.1)
                return
            self._handle(p)
            if not self.running:
                break
        code = self._loop.died() if self.running else None
        if code is not None:
            self.status.setText(f"The race process ended unexpectedly (exit code {code}).")
            self.stop(0.1)
        if self._dirty:
            self.redraw()

    def _handle(self, p: RacePacket):
        if p.reset:
            self._clear()
        for c, s in p.steps.items():
            self.steps[c].extend(np.asarray(s).tolist())
            self.losses[c].extend(np.asarray(p.losses[c]).tolist())
        self.flows.update(p.flows)
        if p.metrics:
            self.metrics = dict(p.metrics)
        self.diverged.update(p.diverged)
        self.rounds = max(self.rounds, p.rounds) if not p.reset else p.rounds
        if p.error:
            self.error = p.error.strip().splitlines()[-1]
        self._dirty = True
        self.packet_received.emit(p)
        if p.stopped:
            self.running = False
            self._timer.stop()
            self._loop.ended()
            self.finished.emit()

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
        stopped = "; ".join(f"{CELL_TITLES.get(c, c)} stopped" for c in self.diverged)
        last = "  ".join(f"{CELL_TITLES.get(c, c)} {self.losses[c][-1]:.3g}" for c in self.cells if self.losses[c])
        self.status.setText(f"round {self.rounds}   {last}" + (f"   ({stopped})" if stopped else "")
                            + (f"   Error: {self.error}" if self.error else ""))

    def closeEvent(self, e):
        self.stop()
        super().closeEvent(e)


def main(argv=None) -> int:
    """``python -m app.race_window [task]``: race the four cells on a task."""
    from PySide6.QtWidgets import QApplication
    argv = sys.argv[1:] if argv is None else argv
    app = QApplication.instance() or QApplication([sys.argv[0]])
    win = RaceWindow(RaceSpec(argv[0] if argv else "agreement"))
    win.show()
    win.start()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
