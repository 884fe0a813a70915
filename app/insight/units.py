"""Unit inspector (Lakretz et al. 2019, "The emergence of number and syntax units
in LSTM language models"): rank the units by how well their c<t> at the verb
predicts the subject's number (agreement task; other tasks: by activity), then
ablate (zero) or clamp any of them and compare the task's metrics with the
intact model's, live. Ranking and metrics run in the background
(app/insight/jobs.py) on private copies of the newest weights."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDoubleSpinBox, QHBoxLayout, QHeaderView, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout)

from app import theme
from app.i18n import translate
from app.insight.jobs import Jobs, model_from
from app.panels.base import Panel
from app.panels.common import DIR_NAMES, label, set_text
from rnncore.probe import ablate_units, ablation_scores, headline, is_agreement, score_units


#: names on screen for the metrics the tasks report
METRIC_NAMES = {
    "accuracy": "held-out (longer) accuracy",
    "train_range_accuracy": "training-distance accuracy",
    "mse": "MSE",
    "baseline_mse": "MSE of a baseline",
    "exact_match": "exact match",
    "char_accuracy": "character accuracy",
}


#: held-out sentences per (distance, attractors) cell for the live comparison (the task's own: 32)
QUICK_EVAL_PER_CELL = 4


def rank_job(task, config, weights, n, how="number"):
    """Worker thread: score every unit of the model with these weights (how: number | ablation)."""
    model = model_from(config, weights)
    if how == "ablation" and is_agreement(task):
        return ablation_scores(task, model, n=n, distances=task.test_distance)
    return score_units(task, model, n=n)


def quick_task(task):
    """The task with a smaller held-out split when it has one (live comparisons every few seconds)."""
    if "eval_per_cell" in getattr(task, "options", {}):
        return task.with_options(eval_per_cell=min(QUICK_EVAL_PER_CELL, task.options["eval_per_cell"]))
    return task


def compare_job(task, config, weights, units, value):
    """Pool thread: the task's metrics for the intact and the ablated model.

    → {"intact": {metric: v}, "ablated": {metric: v}, "changed": [param names the ablation changed]}
    """
    model = model_from(config, weights)
    cut = ablate_units(model, units, value) if units else model
    rng = lambda: np.random.default_rng(0)  # noqa: E731 - the same sentences for both
    intact = headline(task.evaluate(model, rng()))
    ablated = headline(task.evaluate(cut, rng())) if units else dict(intact)
    changed = [k for k in model.params if not np.array_equal(model.params[k], cut.params[k])]
    return {"intact": intact, "ablated": ablated, "changed": changed, "units": list(units), "value": value}


def number_units_spec():
    """The run in which ablation finds Lakretz et al.'s few number units: agreement with
    preset=number-units (an LSTM language model, H = 128). The model comes from the task object
    (the preset's defaults live on the instance, not on the class the new-run dialog reads)."""
    from rnncore.runspec import RunSpec
    from rnncore.tasks import make_task
    options = {"preset": "number-units"}
    mc = make_task("agreement", **options).model_config()
    return RunSpec(task="agreement", task_options=options, model={"cell": mc.cell, "hidden_size": mc.hidden_size})


class UnitsPanel(Panel):
    title = QT_TRANSLATE_NOOP("Panel", "Unit inspector: rank, ablate, clamp")
    object_id = "units"
    run_requested = Signal(object)       # a RunSpec the window should start (the number-units preset)

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.note = label(translate("UnitsPanel", "No run yet."))
        lay.addWidget(self.note)
        row = QHBoxLayout()
        self.rank_button = QPushButton(translate("UnitsPanel", "Rank again"))
        self.rank_button.setToolTip(theme.tip(translate("UnitsPanel", "Rank the units with the newest weights")))
        self.rank_button.clicked.connect(self.rank_now)
        self.top1 = QPushButton(translate("UnitsPanel", "Ablate top 1"))
        self.top1.clicked.connect(self._top1)
        self.top2 = QPushButton(translate("UnitsPanel", "Ablate top 2"))
        self.top2.clicked.connect(self._top2)
        self.rank_by = QComboBox()
        self.rank_by.addItem(translate("UnitsPanel", "rank by |r| with the number"), "number")
        self.rank_by.addItem(translate("UnitsPanel", "rank by ablation effect"), "ablation")
        self.rank_by.setToolTip(theme.tip(translate(
            "UnitsPanel", "|r|: how well c<t> at the verb predicts the subject's number. Ablation effect: accuracy "
                          "lost on long sentences when the unit alone reads 0 (how Lakretz et al. found number units).")))
        self.rank_by.currentIndexChanged.connect(self._rank_by_changed)
        self.preset = QPushButton(translate("UnitsPanel", "Number units run"))
        self.preset.setToolTip(theme.tip(translate(
            "UnitsPanel", "Start agreement with preset=number-units: an LSTM language model with H = 128, trained "
                          "2500 steps (press Play), in which ablation finds the few number units of Lakretz et al. "
                          "(2019). Ranks by ablation.")))
        self.preset.clicked.connect(self.request_number_units)
        self.clear = QPushButton(translate("UnitsPanel", "Restore all"))
        self.clear.clicked.connect(self._clear)
        self.mode = QComboBox()
        self.mode.addItem(translate("UnitsPanel", "ablate: read as 0"), "ablate")
        self.mode.addItem(translate("UnitsPanel", "clamp to value:"), "clamp")
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.value = QDoubleSpinBox()
        self.value.setRange(-1.0, 1.0)
        self.value.setSingleStep(0.1)
        self.value.setValue(1.0)
        self.value.setEnabled(False)
        self.value.valueChanged.connect(self._value_changed)
        row2 = QHBoxLayout()
        for r, ws in ((row, (self.rank_button, self.rank_by, self.preset)), (row2, (self.top1, self.top2, self.clear, self.mode,
                                                                     self.value))):
            for w in ws:
                w.setFont(theme.font())
                r.addWidget(w)
            r.addStretch(1)
            lay.addLayout(r)

        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([translate("UnitsPanel", "unit"), translate("UnitsPanel", "layer / direction"),
                                              translate("UnitsPanel", "score"), translate("UnitsPanel", "ablated")])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.table.setFont(theme.font())
        self.table.itemChanged.connect(self._item_changed)
        self.table.cellClicked.connect(self._row_clicked)
        lay.addWidget(self.table, 3)

        self.metrics = QTableWidget(0, 4)
        self.metrics.setHorizontalHeaderLabels([translate("UnitsPanel", "task metric"), translate("UnitsPanel", "intact"),
                                                translate("UnitsPanel", "with the units changed"),
                                                translate("UnitsPanel", "change")])
        self.metrics.verticalHeader().setVisible(False)
        self.metrics.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.metrics.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.metrics.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        self.metrics.setFont(theme.font())
        lay.addWidget(self.metrics, 1)
        self.status = label("")
        lay.addWidget(self.status)

        self.ranker = Jobs(self, min_interval=0.5)
        self.ranker.finished.connect(self._ranked)
        self.ranker.failed.connect(self._failed)
        self.evaluator = Jobs(self, min_interval=2.0)     # two evaluations per request: not every packet
        self.evaluator.finished.connect(self._compared)
        self.evaluator.failed.connect(self._failed)
        self.scores = None               # probe.UnitScores of the newest ranking
        self.rows: list[tuple] = []      # (part, l, d, unit) per table row
        self.ablated: set = set()        # (part, l, d, unit) the user chose
        self.result = None               # newest compare_job result
        self._run = None                 # (task, config) the ranking belongs to
        self._weights_seen = None
        self._filling = False

    # -- controls (GUI thread) ---------------------------------------------------
    def _mode_changed(self, _i):
        self.value.setEnabled(self.mode.currentData() == "clamp")
        self.compare()

    def _value_changed(self, _v):
        if self.mode.currentData() == "clamp":
            self.compare()

    def _rank_by_changed(self, _i):
        self.rank_now()

    def request_number_units(self):
        """Ask the window for the number-units run; rank its units by ablation."""
        self.rank_by.setCurrentIndex(self.rank_by.findData("ablation"))
        self.run_requested.emit(number_units_spec())

    def _top1(self):
        self.set_ablated(self.rows[:1])

    def _top2(self):
        self.set_ablated(self.rows[:2])

    def _clear(self):
        self.set_ablated([])

    def _row_clicked(self, r, _c):
        if 0 <= r < len(self.rows):
            self.state.set_units([self.rows[r][3]])

    def _item_changed(self, item):
        if self._filling or item.column() != 3:
            return
        key = self.rows[item.row()]
        if item.checkState() == Qt.Checked:
            self.ablated.add(key)
        else:
            self.ablated.discard(key)
        self.compare()

    def set_ablated(self, keys):
        """Ablate (or clamp) exactly these units and re-evaluate."""
        self.ablated = set(keys)
        self._fill_checks()
        self.compare()

    def clamp_value(self) -> float:
        return float(self.value.value()) if self.mode.currentData() == "clamp" else 0.0

    # -- background work -----------------------------------------------------------
    def _inputs(self):
        st = self.state
        if st.task is None or st.model_config is None or st.weights is None:
            return None
        return st.task, st.model_config, st.weights

    def rank_now(self):
        got = self._inputs()
        if got is None:
            return
        task, cfg, w = got
        self.ranker.run_now(rank_job, task, cfg, w, 256, self.rank_by.currentData())
        set_text(self.status, translate("UnitsPanel", "ranking the units …"))

    def compare(self):
        got = self._inputs()
        if got is None or not hasattr(got[0], "evaluate"):
            return
        task, cfg, w = got
        units = sorted(self.ablated)
        self.evaluator.request(compare_job, quick_task(task), cfg, w, units, self.clamp_value())
        set_text(self.status, translate("UnitsPanel", "evaluating …"))

    def _failed(self, _n, message):
        set_text(self.status, translate("UnitsPanel", "Could not do it: {message}").format(message=message))

    def _ranked(self, _n, scores):
        self.scores = scores
        self.rows = [key for _, key in scores.ranked()]
        self.ablated &= set(self.rows)
        self._fill_table()
        set_text(self.status, "")
        self._say_what()

    def _compared(self, _n, result):
        self.result = result
        self._fill_metrics()
        if not self.evaluator.busy:
            n = len(result["units"])
            if not n:
                what = translate("UnitsPanel", "intact")
            elif result["value"] == 0:
                what = translate("UnitsPanel", "{n} unit(s) ablated (read as 0)").format(n=n)
            else:
                what = translate("UnitsPanel", "{n} unit(s) clamped to {value}").format(n=n, value=f"{result['value']:g}")
            quick = "eval_per_cell" in getattr(self.state.task, "options", {})
            set_text(self.status, translate("UnitsPanel", "Metrics of the newest weights, {what}").format(what=what)
                     + (translate("UnitsPanel", " (quick: {n} held-out sentences per distance and attractor "
                                                "count).").format(n=QUICK_EVAL_PER_CELL) if quick else "."))

    # -- drawing ------------------------------------------------------------------------
    def redraw(self):
        st = self.state
        run = (st.task, st.model_config)
        if run[0] is not self._run_task() or run[1] is not self._run_config():
            self._run = run
            self.scores, self.rows, self.ablated, self.result = None, [], set(), None
            self._fill_table()
            self._fill_metrics()
            self._say_what()
        if st.weights is not None and st.weights is not self._weights_seen:
            self._weights_seen = st.weights
            if self.scores is None and not self.ranker.busy:
                self.rank_now()
            self.compare()
        has_task = st.task is not None and hasattr(st.task, "evaluate")
        self.rank_by.setVisible(is_agreement(st.task))
        for w in (self.rank_button, self.rank_by, self.top1, self.top2, self.clear, self.mode, self.value):
            w.setEnabled(st.weights is not None and (w is not self.value or self.mode.currentData() == "clamp"))
        if not has_task:
            self.metrics.setRowCount(0)

    def _run_task(self):
        return None if self._run is None else self._run[0]

    def _run_config(self):
        return None if self._run is None else self._run[1]

    def _say_what(self):
        st = self.state
        if st.model_config is None:
            set_text(self.note, translate("UnitsPanel", "No run yet."))
        elif st.weights is None:
            set_text(self.note, translate("UnitsPanel", "Waiting for the model's weights …"))
        elif self.scores is None:
            set_text(self.note, translate("UnitsPanel", "Ranking the units …"))
        elif self.scores.kind == "ablation":
            set_text(self.note, translate(
                "UnitsPanel", "Units ranked by the accuracy each loses when ablated alone, on {n} long sentences (as "
                              "Lakretz et al. 2019 found number units). Tick units to ablate them together and watch "
                              "long-distance accuracy.").format(n=self.scores.n))
        elif self.scores.kind == "number":
            set_text(self.note, translate(
                "UnitsPanel", "Units ranked by |r| between c<t> at the verb and the subject's number ({n} sentences): "
                              "a high score is a “number unit” (Lakretz et al. 2019). Tick units to ablate them and "
                              "watch long-distance accuracy.").format(n=self.scores.n))
        else:
            set_text(self.note, translate(
                "UnitsPanel", "This task has no subject number to predict: units ranked by the variance of c<t> over "
                              "{n} examples. Tick units to ablate them and compare the metrics.").format(n=self.scores.n))

    def _fill_table(self):
        self._filling = True
        try:
            self.table.setRowCount(len(self.rows))
            cfg = self.state.model_config
            many = cfg is not None and (cfg.num_layers > 1 or cfg.bidirectional)
            self.table.setColumnHidden(1, not many)
            for r, key in enumerate(self.rows):
                part, l, d, u = key
                score = float(self.scores.scores[(part, l, d)][u])
                where = f"[{l + 1}] {DIR_NAMES[d].split()[0]}" if many else "—"
                if part == "enc":
                    where = translate("Panel", "encoder") + " " + where
                cells = [QTableWidgetItem(str(u)), QTableWidgetItem(where), QTableWidgetItem(f"{score:.3f}"),
                         QTableWidgetItem("")]
                cells[3].setFlags(Qt.ItemIsUserCheckable | Qt.ItemIsEnabled | Qt.ItemIsSelectable)
                cells[3].setCheckState(Qt.Checked if key in self.ablated else Qt.Unchecked)
                for c, it in enumerate(cells):
                    self.table.setItem(r, c, it)
        finally:
            self._filling = False

    def _fill_checks(self):
        self._filling = True
        try:
            for r, key in enumerate(self.rows):
                it = self.table.item(r, 3)
                if it is not None:
                    it.setCheckState(Qt.Checked if key in self.ablated else Qt.Unchecked)
        finally:
            self._filling = False

    def _fill_metrics(self):
        res = self.result
        if res is None:
            self.metrics.setRowCount(0)
            return
        names = list(res["intact"])
        self.metrics.setRowCount(len(names))
        for r, k in enumerate(names):
            a, b = res["intact"][k], res["ablated"].get(k, float("nan"))
            pct = k.endswith("accuracy") or k in ("exact_match",)
            show = (lambda v: f"{100 * v:.1f} %") if pct else (lambda v: f"{v:.4g}")
            diff = b - a
            items = [QTableWidgetItem(METRIC_NAMES.get(k, k)), QTableWidgetItem(show(a)), QTableWidgetItem(show(b)),
                     QTableWidgetItem((translate("UnitsPanel", "{diff} points").format(diff=f"{100 * diff:+.1f}") if pct else f"{diff:+.4g}") if res["units"] else "")]
            if res["units"] and pct and abs(diff) >= 0.02:
                items[3].setForeground(QBrush(QColor(theme.BAD if diff < 0 else theme.GOOD)))
            for c, it in enumerate(items):
                self.metrics.setItem(r, c, it)
