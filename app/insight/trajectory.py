"""Hidden-state trajectory: a<t> of the current example projected to 2D.

The plane is the first two principal components (rnncore.insight.pca_fit) of
hidden states over many steps: of a batch of the task's examples run through the
newest weights (in the background), or, without a task, of the recent traces.
The example's path is drawn over that cloud, each step labelled with its token,
and the point at the cursor t is highlighted. Components keep their sign from
one fit to the next, so the picture does not flip while the network trains."""
from __future__ import annotations

from collections import deque

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QVBoxLayout

from app import theme
from app.i18n import translate
from app.insight.jobs import Jobs, model_from
from app.panels.base import Panel
from app.panels.common import Unchanged, label, make_plot, set_text, step_labels, steps_of
from app.panels.choosers import PartChooser
from rnncore.insight import pca_fit, pca_project

RECENT_TRACES = 20
FIT_EXAMPLES = 48
MAX_LABELS = 40


def fit_states_job(task, config, weights, n):
    """Pool thread: a<t> of every (part, layer, direction) over n task examples → {(p, l, d): (M, H)}."""
    model = model_from(config, weights)
    batch = task.batch(np.random.default_rng(5), n)
    tr = model.trace(batch, with_gradients=False)
    out = {}
    for p, layers in tr.parts.items():
        for l, row in enumerate(layers):
            for d, keys in enumerate(row):
                a = np.asarray(keys["a"], float)                 # (T, N, H)
                T = a.shape[0]
                if p != "dec" and len(tr.lengths) == a.shape[1]:
                    valid = np.arange(T)[:, None] < np.asarray(tr.lengths)[None]
                else:
                    valid = np.ones(a.shape[:2], bool)
                out[(p, l, d)] = a[valid]
    return out


class TrajectoryPanel(Panel):
    title = QT_TRANSLATE_NOOP("Panel", "Hidden-state trajectory a<t> (PCA)")
    object_id = "trajectory"

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.chooser = PartChooser()
        self.chooser.changed.connect(self._chosen)
        lay.addWidget(self.chooser)
        self.note = label(translate("TrajectoryPanel", "No run yet."))
        lay.addWidget(self.note)
        self.plot = make_plot("PC1", "PC2")
        pi = self.plot.getPlotItem()
        pi.setAspectLocked(False)
        self.cloud = pg.ScatterPlotItem(size=5, pen=None, brush=pg.mkBrush(150, 150, 160, 70))
        self.path = pg.PlotCurveItem(pen=theme.pen(theme.ACCENT, 2.5))
        self.dots = pg.ScatterPlotItem(size=9, pen=pg.mkPen("w", width=0.5), brush=pg.mkBrush(theme.ACCENT))
        self.start = pg.ScatterPlotItem(size=13, symbol="s", pen=pg.mkPen(theme.FOREGROUND, width=1.5),
                                        brush=pg.mkBrush("w"))
        self.here = pg.ScatterPlotItem(size=20, pen=pg.mkPen(theme.CURSOR, width=3), brush=pg.mkBrush(theme.CURSOR_FILL))
        for it, z in ((self.cloud, 0), (self.path, 1), (self.dots, 2), (self.start, 3), (self.here, 5)):
            it.setZValue(z)
            pi.addItem(it)
        self.words = []
        for _ in range(MAX_LABELS):
            t = pg.TextItem("", color=theme.FOREGROUND, anchor=(0, 1))
            t.setFont(theme.font(theme.TICK_PT))
            t.setZValue(4)
            pi.addItem(t)
            self.words.append(t)
        lay.addWidget(self.plot, 1)
        self.readout = label("")
        lay.addWidget(self.readout)
        self.recent = deque(maxlen=RECENT_TRACES)      # traces seen, for a fit without a task
        self.fits = None                               # newest fit_states_job result
        self.pca = {}                                  # (p, l, d) → (mean, components, explained)
        self.jobs = Jobs(self, min_interval=1.0)
        self.jobs.finished.connect(self._fitted)
        self.jobs.failed.connect(self._failed)
        self._unchanged = Unchanged()
        self._weights_seen = None
        self._run = None
        self._xy = np.zeros((0, 2))
        self._tokens: list[str] = []
        self.state.cursor_changed.connect(self.set_cursor)

    def _chosen(self):
        self.refresh(force=True)

    def _failed(self, _n, message):
        set_text(self.readout, translate("TrajectoryPanel", "Could not fit the plane: {message}").format(message=message))

    def _fitted(self, _n, fits):
        self.fits = fits
        self.refresh(force=True)

    # -- drawing ---------------------------------------------------------------------
    def redraw(self):
        st = self.state
        tr = st.trace
        run = (st.task, st.model_config)
        if self._run is None or run[0] is not self._run[0] or run[1] is not self._run[1]:
            self._run = run
            self.recent.clear()
            self.fits, self.pca = None, {}
        if tr is not None and (not self.recent or self.recent[-1] is not tr):
            self.recent.append(tr)
        if st.weights is not None and st.weights is not self._weights_seen and st.task is not None \
                and hasattr(st.task, "batch") and st.model_config is not None:
            self._weights_seen = st.weights
            self.jobs.request(fit_states_job, st.task, st.model_config, st.weights, FIT_EXAMPLES)
        self.chooser.update_structure(tr)
        sel = self.chooser.selection(tr)
        if self._unchanged(tr, st.model_config, sel, self.fits is None or id(self.fits)):
            return
        if tr is None:
            self._show_nothing(translate("TrajectoryPanel", "No trace yet.") if st.model_config
                               else translate("TrajectoryPanel", "No run yet."))
            return
        p, l, d = sel
        keys = tr.parts[p][l][d]
        T = steps_of(st, p, keys["a"])
        path = np.asarray(keys["a"][:T, 0, :], float)
        if self.fits is not None and sel in self.fits:
            fit_on, source = self.fits[sel], translate("TrajectoryPanel", "{n} of the task's examples").format(n=FIT_EXAMPLES)
        else:
            rows = [np.asarray(r.parts[p][l][d]["a"][:int(r.lengths[0]) if p != "dec" else None, 0, :], float)
                    for r in self.recent if p in r.parts and r.parts[p][l][d]["a"].shape[-1] == path.shape[1]]
            fit_on, source = np.concatenate(rows or [path]), translate("TrajectoryPanel", "the last {n} traces").format(n=len(rows))
        fit_on = fit_on[np.all(np.isfinite(fit_on), axis=1)]
        if not len(fit_on) or not np.all(np.isfinite(path)):     # a diverged run: nothing to project
            self._show_nothing(translate("TrajectoryPanel", "a<t> is not finite (the run diverged): no trajectory to draw."))
            return
        mean, comps, explained = pca_fit(fit_on, 2)
        old = self.pca.get(sel)
        if old is not None and old[1].shape == comps.shape:
            signs = np.sign(np.sum(old[1] * comps, axis=1))
            comps = comps * np.where(signs == 0, 1, signs)[:, None]
        self.pca[sel] = (mean, comps, explained)
        cloud = pca_project(fit_on, mean, comps)
        xy = pca_project(path, mean, comps)
        self._xy = xy
        self.cloud.setData(x=cloud[:, 0], y=cloud[:, 1])
        self.path.setData(x=xy[:, 0], y=xy[:, 1])
        self.dots.setData(x=xy[:, 0], y=xy[:, 1])
        self.start.setData(x=xy[:1, 0], y=xy[:1, 1])
        toks = step_labels(st, p) or []
        self._tokens = [str(toks[t]) if t < len(toks) else f"{t + 1}" for t in range(T)]
        every = max(1, int(np.ceil(T / MAX_LABELS)))
        for i, item in enumerate(self.words):
            t = i * every
            if t < T:
                item.setText(f"{self._tokens[t]}" if every == 1 else f"{t + 1} {self._tokens[t]}")
                item.setPos(float(xy[t, 0]), float(xy[t, 1]))
                item.setVisible(True)
            else:
                item.setVisible(False)
        pi = self.plot.getPlotItem()
        pi.setLabel("bottom", theme.rich(translate("TrajectoryPanel", "PC1 ({pct} % of the variance)").format(
                        pct=f"{100 * explained[0]:.0f}")),
                    **{"font-size": f"{theme.TEXT_PT}pt"})
        pi.setLabel("left", theme.rich(f"PC2 ({100 * explained[1]:.0f} %)"), **{"font-size": f"{theme.TEXT_PT}pt"})
        both = np.concatenate([cloud, xy]) if len(cloud) else xy
        lo, hi = both.min(axis=0), both.max(axis=0)
        pad = 0.08 * np.maximum(hi - lo, 1e-3)
        pi.setRange(xRange=(lo[0] - pad[0], hi[0] + pad[0]), yRange=(lo[1] - pad[1], hi[1] + pad[1]), padding=0)
        where = self.chooser.describe(tr)
        set_text(self.note, translate("TrajectoryPanel", "a<t> of the example{where}, from □ at t = 1, on the plane of "
                                                         "the first two principal components of {source}.").format(
            where=f" ({where})" if where else "", source=source))
        self.set_cursor(st.cursor)

    def _show_nothing(self, text):
        set_text(self.note, text)
        for it in (self.cloud, self.dots, self.start, self.here):
            it.setData(x=[], y=[])
        self.path.setData(x=[], y=[])
        for w in self.words:
            w.setVisible(False)
        self._xy = np.zeros((0, 2))
        set_text(self.readout, "")

    def set_cursor(self, t: int):
        if 0 <= t < len(self._xy):
            self.here.setData(x=self._xy[t:t + 1, 0], y=self._xy[t:t + 1, 1])
            tok = self._tokens[t] if t < len(self._tokens) else ""
            set_text(self.readout, f"t = {t + 1},  x<{t + 1}> = {tok}:  a<t> "
                                   f"({self._xy[t, 0]:.2f}, {self._xy[t, 1]:.2f})")
        else:
            self.here.setData(x=[], y=[])
