"""Task metrics, drawn generically from ``state.metrics`` (task.evaluate):
numbers and short strings in a table, mappings and longer sequences of numbers
(accuracy by distance, by attractor count …) as bar charts, other strings
(samples) as text. Accuracy by attractor count gets Linzen et al. (2016)'s LSTM
as reference markers. Two keys are read as annotations, not metrics, when the
task gives them: ``targets`` (the number to reach, per metric or per attractor
count) and ``reference`` (literature values per attractor count).

Charts are created when a metric first appears (not per frame) and reused.
"""
from __future__ import annotations

import numbers

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QGridLayout, QScrollArea, QVBoxLayout, QWidget

from app import theme
from app.i18n import translate
from app.panels.base import Panel
from app.panels.common import HoverMixin, fmt, label, make_plot, set_text

# Linzen, Dupoux & Goldberg (2016), supervised LSTM, agreement accuracy (%) by attractors
LINZEN_2016 = {0: 99.7, 1: 98.5, 2: 94.5, 3: 89.8}


def _is_number(v) -> bool:
    return isinstance(v, (numbers.Number, np.number, np.bool_)) and not isinstance(v, complex)


def _numeric_series(v):
    """(keys as strings, values) when v is a mapping / sequence of numbers, else None.

    Short lists (a range such as distance [12, 24]) are not series: they go in the table."""
    if isinstance(v, dict) and v and all(_is_number(x) for x in v.values()):
        items = list(v.items())
        try:
            items.sort(key=lambda kv: float(kv[0]))
        except (TypeError, ValueError):
            pass
        return [str(k) for k, _ in items], np.array([float(x) for _, x in items])
    if isinstance(v, (list, tuple, np.ndarray)) and len(v) > 3 and all(_is_number(x) for x in np.ravel(v)):
        arr = np.asarray(v, float).ravel()
        return [str(i) for i in range(arr.size)], arr
    return None


def _is_int_like(k) -> bool:
    try:
        return float(k) == int(float(k))
    except (TypeError, ValueError):
        return False


def _is_short(v) -> bool:
    """A value that reads well in one table cell: a short string, a short list of numbers, None."""
    if v is None:
        return True
    if isinstance(v, str):
        return len(v) <= 40 and "\n" not in v
    if isinstance(v, (list, tuple)) and 0 < len(v) <= 3:
        return all(_is_number(x) for x in v)
    return False


def _short_text(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, (list, tuple)):
        return " – ".join(_scalar_text(x) for x in v) if len(v) == 2 else ", ".join(_scalar_text(x) for x in v)
    return str(v)


def _entry_text(x) -> str:
    """One entry of a table of metrics: a number as the table writes numbers; a record
    (e.g. the code task's best unit of a signal: unit, r, state, ...) as its first three
    fields, "unit 79 · r 0.8529 · state tanh_c", the rest elided."""
    if _is_number(x):
        return _scalar_text(x)
    if isinstance(x, dict):
        items = list(x.items())
        text = " · ".join(f"{k} {_scalar_text(y) if _is_number(y) else y}" for k, y in items[:3])
        return text + (" …" if len(items) > 3 else "")
    return str(x)


def _pretty(name: str) -> str:
    return str(name).replace("_", " ")


_PERCENT_WORDS = ("acc", "match", "f1", "fraction", "precision", "recall", "rate", "worst", "first_noun",
                  "last_noun", "majority")


def _scalar_text(v, name: str = "") -> str:
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    if isinstance(v, (numbers.Integral, np.integer)):
        return f"{int(v):,}"
    v = float(v)
    if 0.0 <= v <= 1.0 and any(w in name.lower() for w in _PERCENT_WORDS):
        return f"{100 * v:.1f} %"
    return fmt(v)


def _markers(keys: list[str], values: np.ndarray, table: dict):
    """(x positions, values) of ``table`` (attractor count → %) for the bars' keys, or None.
    Percentages are scaled to fractions when the bars are fractions."""
    if not table:
        return None
    pct = max(float(v) for v in table.values()) > 1.0
    finite = values[np.isfinite(values)]
    scale = 0.01 if pct and (finite.size == 0 or finite.max() <= 1.0) else 1.0
    lookup = {}
    for k, v in table.items():
        try:
            lookup[int(float(k))] = float(v) * scale
        except (TypeError, ValueError):
            continue
    xs, ys = [], []
    for i, k in enumerate(keys):
        try:
            n = int(float(k))
        except ValueError:
            continue
        if n in lookup:
            xs.append(i)
            ys.append(lookup[n])
    return (np.array(xs, float), np.array(ys)) if xs else None


def _attractor_reference(name: str, keys: list[str], values: np.ndarray):
    """Linzen et al. 2016 markers for an accuracy-by-attractors series, or None."""
    if "attractor" not in name.lower():
        return None
    return _markers(keys, values, LINZEN_2016)


class _Chart(QWidget, HoverMixin):
    """One bar chart of a numeric series, with optional reference markers."""

    def __init__(self, name, parent=None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        by = str(name).lower().rpartition("by_")[2] if "by_" in str(name).lower() else None
        self.plot = make_plot(by, None, _pretty(name))
        self.plot.setMinimumHeight(200)
        self.setMinimumWidth(260)
        pi = self.plot.getPlotItem()
        pi.setMouseEnabled(x=False, y=False)
        theme.value_grid(pi)
        self.bars = pg.BarGraphItem(x=[0], height=[0], width=0.7, brush=theme.ACCENT, pen=None)
        pi.addItem(self.bars)
        self.ref = pi.plot([], [], pen=None, symbol="d", symbolSize=16, symbolBrush=theme.REFERENCE,
                           symbolPen=pg.mkPen("w", width=1))
        self.ref.setZValue(10)
        self.target = pi.plot([], [], pen=None, symbol="_", symbolSize=34, symbolBrush=None,
                              symbolPen=pg.mkPen(theme.THRESHOLD, width=3))
        self.target.setZValue(11)
        lay.addWidget(self.plot)
        self.note = label("")
        lay.addWidget(self.note)
        self.keys, self.values, self.refs, self.targets = [], np.zeros(0), None, None
        self._ticks = None
        self.categorical = False      # named keys (constructions, baselines): horizontal bars, names on the left
        self.install_hover(self.plot, self._hover)

    def _hover(self, x, y):
        i = int(round(y if self.categorical else x))
        if 0 <= i < len(self.keys):
            text = f"{self.keys[i]}: {fmt(float(self.values[i]))}"
            if self.refs is not None and i in self.refs[0]:
                text += f"\nLinzen et al. 2016 (LSTM): {fmt(float(self.refs[1][list(self.refs[0]).index(i)]))}"
            if self.targets is not None and i in self.targets[0]:
                text += f"\ntarget: {fmt(float(self.targets[1][list(self.targets[0]).index(i)]))}"
            return text
        return ""

    def set_series(self, name, keys, values, targets=None):
        self.keys, self.values = keys, values
        if not all(_is_int_like(k) for k in keys):
            self._set_categorical(name, keys, values)
            return
        xs = np.arange(len(keys), dtype=float)
        self.bars.setOpts(x=xs, height=np.nan_to_num(values))
        pi = self.plot.getPlotItem()
        if self._ticks != keys:
            self._ticks = list(keys)
            every = -(-len(keys) // 12)          # at most ~12 labels (distances 12 … 36)
            pi.getAxis("bottom").setTicks([[(i, k) for i, k in enumerate(keys) if i % every == 0],
                                           [(i, "") for i in range(len(keys))]])
        pi.setXRange(-0.6, len(keys) - 0.4, padding=0)
        finite = values[np.isfinite(values)]
        lo = min(0.0, float(finite.min())) if finite.size else 0.0
        hi = float(finite.max()) if finite.size else 1.0
        if lo >= 0 and hi <= 1.0:
            hi = 1.0               # fractions: a fixed [0, 1] scale
        elif 1.0 < hi <= 100 and lo >= 0 and "acc" in name.lower():
            hi = 100.0             # percentages
        pi.setYRange(lo, hi * 1.05 if hi > 0 else 1.0, padding=0)
        self.refs = _attractor_reference(name, keys, values)
        self.targets = _markers(keys, values, targets) if "attractor" in name.lower() else None
        if self.targets is not None:
            self.target.setData(*self.targets)
        else:
            self.target.setData([], [])
        notes = []
        if self.targets is not None:
            notes.append(f'<span style="color:{theme.THRESHOLD}"><b>—</b></span> target')
        if self.refs is not None:
            notes.append(f'<span style="color:{theme.REFERENCE}">◆</span> Linzen et al. 2016, LSTM')
        self.note.setText(" &nbsp; ".join(notes))
        if self.refs is not None:
            self.ref.setData(*self.refs)
            self.note.setToolTip(theme.tip("Linzen, Dupoux & Goldberg 2016, supervised LSTM: "
                                           + " / ".join(f"{v:g}" for v in LINZEN_2016.values())
                                           + " % at 0 / 1 / 2 / 3 attractors"))
        else:
            self.ref.setData([], [])
        self.note.setVisible(bool(notes))


    def _set_categorical(self, name, keys, values):
        """Named keys (accuracy by construction, the baselines): one horizontal bar per name,
        the names readable on the left axis, the first name on top."""
        self.categorical = True
        pi = self.plot.getPlotItem()
        ys = np.arange(len(keys), dtype=float)
        self.bars.setOpts(x0=0, x=None, y=ys, height=0.7, width=np.nan_to_num(values))
        if self._ticks != keys:
            self._ticks = list(keys)
            left = pi.getAxis("left")
            left.setTicks([[(i, _pretty(k)) for i, k in enumerate(keys)]])
            metrics = QFontMetrics(left.style.get("tickFont") or self.font())
            left.setWidth(max(metrics.horizontalAdvance(_pretty(k)) for k in keys) + 16)
            pi.getAxis("bottom").setTicks(None)
            pi.setLabel("bottom", "")
            pi.invertY(True)
            self.plot.setMinimumHeight(max(160, 26 * len(keys) + 70))
        finite = values[np.isfinite(values)]
        hi = float(finite.max()) if finite.size else 1.0
        pi.setXRange(0, 1.0 if 0 <= hi <= 1.0 else hi * 1.05, padding=0)
        pi.setYRange(-0.6, len(keys) - 0.4, padding=0)
        self.ref.setData([], [])
        self.target.setData([], [])
        self.note.setVisible(False)


class MetricsPanel(Panel):
    title = QT_TRANSLATE_NOOP("Panel", "Metrics")     # short: two tabs share a 1366-px screen's column
    object_id = "metrics"

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        self.head = label(translate("MetricsPanel", "No metrics yet: the task reports them while training."))
        outer.addWidget(self.head)
        body = QWidget()
        self.body = QVBoxLayout(body)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.table = label("")
        self.body.addWidget(self.table)
        self.grid = QGridLayout()           # charts, two per row when the panel is wide
        self._cols = 1
        self.body.addLayout(self.grid)
        self.charts: dict[str, _Chart] = {}
        self.texts: dict[str, object] = {}
        self.body.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        outer.addWidget(scroll, 1)
        self._metrics_id = self._head_text = None

    def resizeEvent(self, ev):
        super().resizeEvent(ev)
        cols = 2 if self.width() >= 720 else 1
        if cols != self._cols:
            self._cols = cols
            for k, chart in enumerate(self.charts.values()):
                self.grid.removeWidget(chart)
                self.grid.addWidget(chart, k // cols, k % cols)

    def _insert(self, w):
        self.body.insertWidget(self.body.count() - 1, w)

    def redraw(self):
        m = self.state.metrics or {}
        head = self._head(m)
        if head != self._head_text:
            self._head_text = head
            set_text(self.head, head)
            self.head.setVisible(bool(head))
        if m is self._metrics_id:
            return
        self._metrics_id = m
        targets = m.get("targets") if isinstance(m.get("targets"), dict) else {}
        per_count = targets if targets and all(_is_int_like(k) for k in targets) else {}
        per_metric = {} if per_count else targets
        annotations = {"reference"} | ({"targets"} if targets else set())
        has_attractor_chart = any("attractor" in str(k).lower() and _numeric_series(v) is not None
                                  for k, v in m.items())
        rows, seen = [], set()
        for name, v in m.items():
            name = str(name)
            if name in annotations and (name == "targets" or has_attractor_chart):
                continue
            series = _numeric_series(v)
            if _is_number(v):
                goal = per_metric.get(name)
                rows.append((_pretty(name), _scalar_text(v, name),
                             f"target {_scalar_text(goal, name)}" if _is_number(goal) else ""))
            elif _is_short(v):
                rows.append((_pretty(name), _short_text(v), ""))
            elif series is not None:
                chart = self.charts.get(name)
                if chart is None:
                    chart = self.charts[name] = _Chart(name)
                    k = len(self.charts) - 1
                    self.grid.addWidget(chart, k // self._cols, k % self._cols)
                chart.set_series(name, *series, targets=per_count)
                chart.setVisible(True)
                seen.add(name)
            else:
                lab = self.texts.get(name)
                if lab is None:
                    lab = self.texts[name] = label("")
                    self._insert(lab)
                lab.setText(self._text_block(name, v))
                lab.setVisible(True)
                seen.add(name)
        for name, w in list(self.charts.items()) + list(self.texts.items()):
            if name not in seen:
                w.setVisible(False)
        if rows:
            cells = "".join(f"<tr><td style='padding-right:18px'>{theme.rich(k)}</td>"
                            f"<td align='right'><b>{theme.rich(v)}</b></td>"
                            f"<td style='padding-left:14px; color:{theme.MUTED}'>{theme.rich(g)}</td></tr>"
                            for k, v, g in rows)
            self.table.setText(f"<table>{cells}</table>")
        else:
            self.table.setText("")
        self.table.setVisible(bool(rows))

    def _head(self, m: dict) -> str:
        """The task's name, the step the metrics are of, and 'evaluating…' while an evaluation runs."""
        st = self.state
        title = getattr(st.task, "title", "") if st.task is not None else ""
        title = translate("Task", title) if title else ""     # marked in app/window/task_words.py
        if not m:
            text = (translate("MetricsPanel", "evaluating the task's metrics…") if st.evaluating else
                    translate("MetricsPanel", "no metrics yet (the task reports them while training)"))
        elif st.metrics_step is not None:
            text = translate("MetricsPanel", "at step {step:,}").format(step=st.metrics_step)
            if st.evaluating:
                text += " · " + translate("MetricsPanel", "evaluating…")
        else:
            text = translate("MetricsPanel", "evaluating…") if st.evaluating else ""
        return " — ".join(t for t in (title, text) if t)

    @staticmethod
    def _text_block(name, v) -> str:
        head = f"<b>{theme.rich(_pretty(name))}</b>"
        if isinstance(v, str):
            return f"{head}<br>{theme.rich(v)}"
        if isinstance(v, (list, tuple)):
            items = "".join(f"<li>{theme.rich(str(x))}</li>" for x in v[:20])
            more = f"<li>… {len(v) - 20} more</li>" if len(v) > 20 else ""
            return f"{head}<ul style='margin-top:2px'>{items}{more}</ul>"
        if isinstance(v, dict):
            cells = "".join(f"<tr><td style='padding-right:14px'>{theme.rich(str(k))}</td>"
                            f"<td>{theme.rich(_entry_text(x))}</td></tr>"
                            for k, x in list(v.items())[:40])
            return f"{head}<table>{cells}</table>"
        return f"{head}<br>{theme.rich(str(v))}"
