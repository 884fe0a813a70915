"""The insight panels (app/insight) draw real data of every cell, bidirectional and
2 layers; clicks select units; the unit inspector's ablation changes the model it
evaluates; the gradient check shows small errors. Background analyses are waited
for, never assumed."""
from __future__ import annotations

import gc

import numpy as np
import pytest
from PySide6.QtCore import Qt

from app.insight import INSIGHT_PANELS
from demo_insight import insight_state
from app.panels.diagram import CellDiagramPanel
from app.insight.gradcheck import TOLERANCE, GradCheckPanel
from app.insight.influence import InfluencePanel
from rnncore.probe import ablate_units, score_units
from app.insight.saturation import SaturationPanel
from app.insight.trajectory import TrajectoryPanel
from app.insight.units import UnitsPanel
from app.state import DashboardState

CELLS = ["rnn", "gru-simple", "gru", "lstm"]
# (task, bidirectional, layers): many-to-one (the real agreement task), many-to-many, encoder-decoder
VARIANTS = [("agreement", False, 1), ("agreement", True, 2), ("tagging", True, 2), ("reverse", False, 1)]
H = 4
WAIT = 30_000

_STATES: dict = {}


def state_for(kind, cell, bi, layers):
    key = (kind, cell, bi, layers)
    if key not in _STATES:
        _STATES[key] = insight_state(kind, cell, bi, layers, steps=4, hidden=H)
    return _STATES[key]


_MADE: list = []


@pytest.fixture(autouse=True)
def delete_panels():
    """Delete this test's panels in the GUI thread, now, rather than whenever a collector gets to them."""
    yield
    from PySide6.QtCore import QCoreApplication, QEvent
    while _MADE:
        p = _MADE.pop()
        p.close()
        p.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    gc.collect()


def make(qtbot, cls, state):
    panel = cls(state)
    _MADE.append(panel)
    qtbot.addWidget(panel)
    panel.resize(820, 520)
    panel.show()
    panel.refresh(force=True)
    return panel


def settle(qtbot, panel):
    """Wait for the panel's background analyses, then draw their results."""
    jobs = [getattr(panel, n) for n in ("jobs", "ranker", "evaluator") if hasattr(panel, n)]
    qtbot.waitUntil(lambda: not any(j.busy for j in jobs), timeout=WAIT)
    panel.refresh(force=True)


def units_of(state):
    cfg = state.model_config
    return cfg.hidden_size * cfg.num_layers * (2 if cfg.bidirectional else 1)


def test_listed():
    assert [p.object_id for p in INSIGHT_PANELS] == ["cell", "saturation", "units", "unit_text", "trajectory",
                                                     "influence", "gradcheck"]
    assert all(p.title for p in INSIGHT_PANELS)


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("kind,bi,layers", VARIANTS)
def test_every_panel_draws_real_data(qtbot, cell, kind, bi, layers):
    st = state_for(kind, cell, bi, layers)
    st.set_cursor(0)
    st.set_cursor(min(2, st.steps - 1))
    T = st.steps
    for cls in INSIGHT_PANELS:
        panel = make(qtbot, cls, st)
        settle(qtbot, panel)
        if cls is SaturationPanel:
            shown = [g for g, w in panel.plots.items() if w.isVisibleTo(panel)]
            expected = {"rnn": set(), "gru-simple": {"gamma_u"}, "gru": {"gamma_u", "gamma_r"},
                        "lstm": {"gamma_u", "gamma_f", "gamma_o"}}[cell]
            assert set(shown) == expected
            for g in shown:
                x, y = panel.dots[g].getData()
                assert len(x) == H and np.all((x >= 0) & (y >= 0) & (x + y <= 1 + 1e-9))
            assert panel.batch_sat is not None          # measured over the task's examples
        elif cls is UnitsPanel:
            assert panel.table.rowCount() == units_of(st)
            if kind == "agreement":
                assert panel.scores.kind == "number" and panel.metrics.rowCount() >= 1
            else:
                assert panel.scores.kind == "activity"
        elif cls is TrajectoryPanel:
            x, y = panel.path.getData()
            assert len(x) == T and np.all(np.isfinite(x)) and np.all(np.isfinite(y))
            assert panel.fits is not None
            assert sum(w.isVisible() for w in panel.words) == T
            assert panel.here.getData()[0][0] == pytest.approx(x[st.cursor])
        elif cls is InfluencePanel:
            v = panel.values
            assert v is not None and v.ndim == 2 and np.all(np.isfinite(v)) and v.max() > 0
            assert v.shape[1] == (np.asarray(st.example.x).shape[1])
            assert panel.cursor.value() == st.cursor + 1
        elif cls is CellDiagramPanel:
            assert panel.view.cell == cell
            texts = [item.toPlainText() for item, _, _ in panel.view.values.values()]
            assert sum(bool(t) for t in texts) >= 4
        panel.close()


@pytest.mark.parametrize("cls", INSIGHT_PANELS)
def test_no_run_no_crash(qtbot, cls):
    panel = make(qtbot, cls, DashboardState())
    panel.refresh(force=True)
    panel.close()


def test_clicking_a_saturation_dot_selects_the_unit(qtbot):
    st = state_for("agreement", "lstm", False, 1)
    st.set_units([])
    panel = make(qtbot, SaturationPanel, st)
    settle(qtbot, panel)
    dots = panel.dots["gamma_f"]
    spot = dots.points()[2]
    dots.sigClicked.emit(dots, [spot], None)
    assert st.units == [int(spot.data())]
    x, _ = panel.chosen["gamma_f"].getData()                 # the chosen unit is ringed on every gate
    assert len(x) == 1 and len(panel.chosen["gamma_u"].getData()[0]) == 1


def test_clicking_a_ranked_unit_selects_it(qtbot):
    st = state_for("agreement", "gru", True, 2)
    st.set_units([])
    panel = make(qtbot, UnitsPanel, st)
    settle(qtbot, panel)
    r = 3
    rect = panel.table.visualItemRect(panel.table.item(r, 0))
    qtbot.mouseClick(panel.table.viewport(), Qt.LeftButton, pos=rect.center())
    assert st.units == [panel.rows[r][3]]


def test_ablation_changes_the_model_it_evaluates(qtbot):
    st = state_for("agreement", "lstm", False, 1)
    panel = make(qtbot, UnitsPanel, st)
    settle(qtbot, panel)
    top = panel.rows[0]
    # tick the top unit's box as a user would
    item = panel.table.item(0, 3)
    item.setCheckState(Qt.Checked)
    settle(qtbot, panel)
    res = panel.result
    assert res["units"] == [top] and res["value"] == 0.0
    # the unit's outgoing weights: next step (Wh row) and head (head.W row)
    assert "rnn.l0.fwd.Wh" in res["changed"] and "head.W" in res["changed"]
    assert panel.metrics.rowCount() == len(res["intact"]) and set(res["ablated"]) == set(res["intact"])
    # clamping is a different model again
    panel.mode.setCurrentIndex(1)
    panel.value.setValue(0.8)
    settle(qtbot, panel)
    assert panel.result["value"] == pytest.approx(0.8) and "head.b" in panel.result["changed"]
    panel.set_ablated([])
    settle(qtbot, panel)
    assert panel.result["units"] == [] and panel.result["changed"] == []


def test_ablating_through_weights_is_exact():
    """probe.ablate_units equals running the model with the unit's a<t> forced to 0 (checked on the head)."""
    st = state_for("agreement", "lstm", False, 1)
    model = st.current_model()
    cut = ablate_units(model, [("rnn", 0, 0, 1)])
    assert np.all(cut.params["head.W"][1] == 0) and np.all(cut.params["rnn.l0.fwd.Wh"][1] == 0)
    assert model.params["head.W"][1].any()                  # the original is untouched
    scores = score_units(st.task, model, n=32)
    assert scores.kind == "number" and scores.scores[("rnn", 0, 0)].shape == (H,)


@pytest.mark.parametrize("cell", CELLS)
def test_gradient_check_shows_small_errors(qtbot, cell):
    st = state_for("agreement", cell, True, 2)
    panel = make(qtbot, GradCheckPanel, st)
    assert panel.button.isEnabled()
    qtbot.mouseClick(panel.button, Qt.LeftButton)
    settle(qtbot, panel)
    errs = panel.errors
    assert errs and set(errs) == set(st.weights)
    assert max(errs.values()) < TOLERANCE
    assert panel.table.rowCount() == len(errs)
    assert all(panel.table.item(r, 4).text() == "pass" for r in range(len(errs)))
    assert "pass" in panel.summary.text()


def test_phases_step_through_one_update(qtbot):
    st = state_for("agreement", "lstm", False, 1)
    panel = make(qtbot, CellDiagramPanel, st)
    seen = []
    for _ in range(6):
        qtbot.mouseClick(panel.phase_button, Qt.LeftButton)
        settle(qtbot, panel)
        seen.append(None if panel.phase is None else panel.phase.name)
    assert seen == ["forward", "loss", "backprop", "clip", "update", None]
    assert st.current_model().params["head.b"].tolist() == list(st.weights["head.b"])   # the run is untouched


def test_diagram_shows_the_selected_unit(qtbot):
    st = state_for("agreement", "gru", False, 1)
    panel = make(qtbot, CellDiagramPanel, st)
    st.set_units([2])
    panel.refresh(force=True)
    assert panel.which.currentData() == "unit"
    t = st.cursor
    want = float(st.trace.parts["rnn"][0][0]["gamma_u"][t, 0, 2])
    text = panel.view.values["gamma_u"][0].toPlainText()
    assert f"{want:.3f}" in text


def test_new_weights_refresh_the_analyses(qtbot):
    st = insight_state("agreement", "lstm", False, 1, steps=2, hidden=H)
    panel = make(qtbot, InfluencePanel, st)
    settle(qtbot, panel)
    before = panel.values.copy()
    for snap in st.trainer.run(15):
        st.add_snapshot(snap)
    st.set_trace(st.trainer.trace_display())
    w = st.trainer.model.state_dict()
    st.set_weights(w)
    panel.refresh()
    settle(qtbot, panel)
    assert not np.allclose(before, panel.values)


def test_units_can_be_ranked_by_their_ablation_effect(qtbot):
    st = state_for("agreement", "lstm", True, 2)
    panel = make(qtbot, UnitsPanel, st)
    settle(qtbot, panel)
    assert panel.rank_by.isVisibleTo(panel)
    panel.rank_by.setCurrentIndex(1)
    settle(qtbot, panel)
    assert panel.scores.kind == "ablation" and panel.table.rowCount() == units_of(st)
    drops = [s for s, _ in panel.scores.ranked()]
    assert drops == sorted(drops, reverse=True)


def test_a_diverged_trace_draws_without_warnings(qtbot, qtlog):
    """NaN in every internal (a diverged run's last trace): panels say so, Qt sees no NaN colour."""
    from rnncore.trace import Trace
    st = insight_state("agreement", "lstm", False, 1, steps=2, hidden=H)
    tr = st.trace
    nan = {p: [[{k: np.full_like(v, np.nan) for k, v in d.items()} for d in row] for row in layers]
           for p, layers in tr.parts.items()}
    st.set_trace(Trace(nan, None, tr.logits * np.nan, tr.outputs * np.nan, None, tr.lengths))
    for cls in INSIGHT_PANELS:
        panel = make(qtbot, cls, st)
        settle(qtbot, panel)
        panel.close()
    assert not [r for r in qtlog.records if "nan" in r.message.lower()]


def test_in_the_window_weights_arrive_and_the_tabs_analyse_them(qtbot, tmp_path):
    """The real window and worker process: packets bring the weights; raising an insight tab runs its analysis."""
    from PySide6.QtCore import QSettings

    from app.window.main_window import MainWindow
    from app.bridge.worker import RunSpec

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow("process", settings=settings)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    try:
        assert win.start_run(RunSpec(task="agreement", model={"hidden_size": 6}, train={"batch_size": 8},
                                     task_options={"distance": "3-6", "test_distance": "7-9",
                                                   "eval_per_cell": 2}))
        qtbot.waitUntil(lambda: win.state.weights is not None and win.state.trace is not None, timeout=WAIT)
        first = win.state.weights
        assert not first["head.W"].flags.writeable                      # read-only, as every packet's arrays
        win.toolbar.step_action.trigger()
        qtbot.waitUntil(lambda: win.step >= 1 and win.state.weights is not first, timeout=WAIT)
        assert not np.array_equal(first["head.W"], win.state.weights["head.W"])
        model = win.state.current_model()
        assert model is win.state.current_model()                        # one model per weights object
        assert np.array_equal(model.params["head.W"], win.state.weights["head.W"])
        by_id = {p.object_id: (p, d) for p, d in zip(win.panels, win.docks)}
        assert {c.object_id for c in INSIGHT_PANELS} <= set(by_id)
        units, dock = by_id["units"]
        dock.show()                                                       # View ▸ Unit inspector
        dock.raise_()
        qtbot.waitUntil(lambda: units.isVisible(), timeout=5000)
        qtbot.waitUntil(lambda: units.scores is not None and units.result is not None, timeout=WAIT)
        assert units.table.rowCount() == 6 and units.metrics.rowCount() >= 1
    finally:
        win.close()
