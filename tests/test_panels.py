"""Every dashboard panel draws real traces of every cell (also bidirectional and
2 layers, and encoder-decoder), follows the time cursor, and copes with no data."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, Qt

from app.panels import PANELS
from demo_panels import demo_state
from app.panels.flow import FlowPanel
from app.panels.gates import GatesPanel
from app.panels.loss import LossPanel
from app.panels.memory import MemoryPanel
from app.panels.metrics import MetricsPanel
from app.panels.sequence import SequencePanel
from app.state import DashboardState

CELLS = ["rnn", "gru-simple", "gru", "lstm"]
# (task kind, bidirectional, layers): per-step, many-to-one and encoder-decoder shapes
VARIANTS = [("tagging", False, 1), ("agreement", True, 2), ("reverse", True, 2)]

_STATES: dict = {}


def state_for(cell, kind, bi, layers):
    key = (cell, kind, bi, layers)
    if key not in _STATES:
        _STATES[key] = demo_state(cell, bi, layers, kind, steps=6, hidden=5, clip_threshold=0.05)
    return _STATES[key]


def make(qtbot, cls, state):
    panel = cls(state)
    qtbot.addWidget(panel)
    panel.resize(800, 500)
    panel.show()
    panel.refresh(force=True)
    return panel


def cursor_lines(panel):
    """The visible time-cursor lines of a panel (InfiniteLines made by common.cursor_line)."""
    out = []
    for pw in panel.findChildren(pg.PlotWidget):
        if not pw.isVisibleTo(panel):
            continue
        out += [it for it in pw.getPlotItem().items if getattr(it, "is_time_cursor", False)]
    return out


def test_panels_listed_in_order():
    ids = [p.object_id for p in PANELS]
    assert ids == ["sequence", "gates", "memory", "loss", "gradnorm", "flow", "metrics"]
    assert all(p.title for p in PANELS)


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("kind,bi,layers", VARIANTS)
def test_every_panel_draws_and_follows_the_cursor(qtbot, cell, kind, bi, layers):
    state = state_for(cell, kind, bi, layers)
    assert state.trace is not None and state.history.n > 0
    for cls in PANELS:
        panel = make(qtbot, cls, state)
        t = min(2, state.steps - 1)
        state.set_cursor(0)
        state.set_cursor(t)
        panel.refresh()
        for line in cursor_lines(panel):
            assert line.value() == pytest.approx(t + 1), cls.__name__
        if cls is SequencePanel:
            assert panel.strip.cursor == t
        panel.close()


@pytest.mark.parametrize("cell", CELLS)
def test_gates_show_the_cells_gates(qtbot, cell):
    state = state_for(cell, "agreement", True, 2)
    panel = make(qtbot, GatesPanel, state)
    shown = {k for k, hm in panel.maps.items() if hm.isVisibleTo(panel)}
    expected = {"rnn": {"a"}, "gru-simple": {"gamma_u", "c_tilde"}, "gru": {"gamma_r", "gamma_u", "c_tilde"},
                "lstm": {"gamma_u", "gamma_f", "gamma_o", "c_tilde"}}[cell]
    assert shown == expected
    if cell == "rnn":
        assert "no gates" in panel.note.text()
    # choose layer [2], ← : the heatmap shows exactly that array
    panel.chooser.layer.setCurrentIndex(1)
    panel.chooser.direction.setCurrentIndex(1)
    key = sorted(expected)[0]
    want = state.trace.parts["rnn"][1][1][key][:state.steps, 0, :]
    np.testing.assert_array_equal(panel.maps[key].data, want)
    # fixed levels, never auto-ranged
    assert tuple(panel.maps[key].image.levels) == (panel.maps[key].levels)
    hover = panel.maps[key].describe_at(1.0, 0.0)
    assert hover.startswith("unit 0, t = 1") and f"{want[0, 0]:.4f}" in hover


def test_clicking_a_token_moves_the_cursor(qtbot):
    state = state_for("lstm", "tagging", False, 1)
    state.set_cursor(0)
    panel = make(qtbot, SequencePanel, state)
    strip = panel.strip
    left, w = strip.col_span(3)
    x = left + w // 2
    panel.scroll.ensureVisible(x, 10)
    qtbot.mouseClick(strip, Qt.LeftButton, pos=QPoint(x, strip.tops[0] + 5))
    assert state.cursor == 3
    assert strip.cursor == 3


def test_sequence_rows_for_each_shape(qtbot):
    rows = {}
    for kind in ("tagging", "agreement", "reverse"):
        state = state_for("gru", kind, False, 1)
        panel = make(qtbot, SequencePanel, state)
        rows[kind] = panel.strip.rows
    assert [r.name for r in rows["tagging"]] == ["x<t>", "y<t>", "ŷ<t>"]
    assert all(len(r.cells) == 9 for r in rows["tagging"])
    # many-to-one: one prediction, under the last token
    pred = rows["agreement"][2].cells
    assert len(pred) == 9 and all(c is None for c in pred[:-1]) and pred[-1].text in ("plural", "singular")
    # encoder-decoder: source row T_x, target rows T_y
    assert len(rows["reverse"][0].cells) == 5 and len(rows["reverse"][2].cells) == 5


def test_memory_traces_most_active_then_chosen_units(qtbot):
    state = state_for("lstm", "agreement", True, 2)
    state.set_units([])
    panel = make(qtbot, MemoryPanel, state)
    assert len(panel._traced) == 4
    c = state.trace.parts["rnn"][0][0]["c"][:state.steps, 0, :]
    assert panel._traced[0][0] == int(np.argmax(np.abs(c).mean(axis=0)))
    panel.c_map.clicked.emit(1, 2)            # a click on unit 2 at t = 2
    panel.refresh(force=True)
    assert state.units == [2] and state.cursor == 1
    assert [u for u, _ in panel._traced] == [2]
    state.set_units([])


def test_metrics_render_anything(qtbot):
    state = DashboardState()
    panel = make(qtbot, MetricsPanel, state)
    state.set_metrics({"accuracy": 0.5, "steps": 3, "ok": True, "bad": float("nan"),
                       "accuracy_by_attractors": {"0": 0.9, "1": 0.8, "2": 0.7, "3": 0.6, "4": 0.5},
                       "by_distance": [0.1, 0.2], "samples": ["a b c", "d e"], "nested": {"x": {"y": 1}},
                       "note": "text", "empty": {}, "none": None})
    panel.refresh()
    chart = panel.charts["accuracy_by_attractors"]
    assert chart.refs is not None and list(chart.refs[0]) == [0, 1, 2, 3]
    assert chart.refs[1][0] == pytest.approx(0.997)
    assert "samples" in panel.texts and "a b c" in panel.texts["samples"].text()
    state.set_metrics({"cells": {"depth": {"unit": 79, "r": 0.8529, "state": "tanh_c", "a_unit": 79, "a_r": 0.76}}})
    panel.refresh()         # a record: its first three fields, not a Python dict's repr
    assert "unit 79 · r 0.8529 · state tanh_c …" in panel.texts["cells"].text()
    assert "{" not in panel.texts["cells"].text()
    state.set_metrics({"accuracy_by_attractors": {0: 99.0, 1: 90.0}})   # percentages
    panel.refresh()
    assert chart.refs[1][0] == pytest.approx(99.7)
    assert not panel.texts["samples"].isVisibleTo(panel)


def test_metrics_by_construction_and_baselines_are_named_bars(qtbot):
    state = DashboardState()
    panel = make(qtbot, MetricsPanel, state)
    state.set_metrics({"accuracy": 0.97, "by_construction": {"simple": 1.0, "obj_rel_no_that": 0.8},
                       "baselines": {"first_noun": 0.64, "last_noun": 0.51}, "overlap": 0})
    panel.refresh()
    chart = panel.charts["by_construction"]
    assert chart.categorical and chart.keys == ["simple", "obj_rel_no_that"]
    left = chart.plot.getPlotItem().getAxis("left")
    assert [t for _, t in left._tickLevels[0]] == ["simple", "obj rel no that"]
    assert panel.charts["baselines"].categorical and "overlap" in panel.table.text()
    assert "obj_rel_no_that: 0.8" in chart._hover(0.5, 1.1)


def _points(item) -> int:
    """How many points a pyqtgraph curve draws."""
    x = item.getData()[0]
    return 0 if x is None else len(x)


def test_panels_cope_with_no_data(qtbot):
    state = DashboardState()
    panels = {}
    for cls in PANELS:
        panels[cls] = panel = make(qtbot, cls, state)
        state.set_cursor(5)            # no trace: clamps to 0, nothing to move
        panel.refresh(force=True)
    assert state.cursor == 0
    loss, flow = panels[LossPanel], panels[FlowPanel]
    assert loss.head.text() == "No run yet." and _points(loss.raw) == 0
    assert flow.head.text() == "No run yet." and all(_points(ln) == 0 for ln in flow.lines)
    # a run has started but no trace or step exists yet
    full = state_for("lstm", "tagging", False, 1)
    state.reset_run(full.task, full.model_config, full.train_config, full.example)
    flow = make(qtbot, FlowPanel, state)
    flow.refresh(force=True)
    assert flow.head.text() == "No gradients traced yet."


def test_panels_survive_a_new_model_and_a_broken_task(qtbot):
    """The same panel redraws after the run changes cell, depth and shape."""
    state = DashboardState()
    panels = [make(qtbot, cls, state) for cls in PANELS]
    for cell, kind, bi, layers in [("lstm", "agreement", True, 2), ("rnn", "tagging", False, 1),
                                   ("gru", "reverse", True, 2)]:
        src = state_for(cell, kind, bi, layers)
        state.reset_run(src.task, src.model_config, src.train_config, src.example)
        state.history = src.history
        state.add_snapshot(src.snapshot)
        state.set_trace(src.trace, src.example)
        state.set_metrics(src.metrics)
        for p in panels:
            p.refresh()
        flow = next(p for p in panels if isinstance(p, FlowPanel))
        drawn = [ln for ln in flow.lines if _points(ln)]
        assert len(drawn) == layers * (2 if bi else 1), "one line per layer and direction"
        assert all(_points(ln) == state.steps for ln in drawn)

    class Broken:
        def describe(self, batch, i=0):
            raise RuntimeError("not written yet")
    state.task = Broken()
    state.version += 1
    panels[0].refresh()
    assert panels[0].strip.rows[0].cells[0].text    # token ids as a fallback


def test_a_new_trace_is_drawn_and_an_old_one_is_not_redrawn(qtbot, monkeypatch):
    state = DashboardState()
    a = state_for("gru", "tagging", False, 1)
    state.reset_run(a.task, a.model_config, a.train_config, a.example)
    state.set_trace(a.trace, a.example)
    panel = make(qtbot, GatesPanel, state)
    calls = []
    monkeypatch.setattr(panel.maps["gamma_u"].image, "setImage", lambda *a, **k: calls.append(1))
    state.version += 1                  # a training step without a new trace
    panel.refresh()
    assert calls == []
    new = a.trace.select(0)             # an equal but new Trace object
    state.set_trace(new)
    panel.refresh()
    assert calls == [1]


def _items(panel):
    scenes = {pw.scene() for pw in panel.findChildren(pg.PlotWidget)}
    return sum(len(s.items()) for s in scenes)


@pytest.mark.parametrize("cls", PANELS, ids=lambda c: c.object_id)
def test_redraws_create_no_items(qtbot, cls):
    """Plot items are built once: new traces and training steps only set data."""
    src = state_for("lstm", "agreement", True, 2)
    state = DashboardState()
    state.reset_run(src.task, src.model_config, src.train_config, src.example)
    state.history = src.history
    state.set_trace(src.trace, src.example)
    state.set_metrics(dict(src.metrics))
    panel = make(qtbot, cls, state)
    before = _items(panel)
    for k in range(5):
        state.set_trace(src.trace.select(0), src.example)      # a new trace object each time
        state.history.add(1000 + k, 0.5, 1.0, 0.5, True)
        state.set_metrics(dict(src.metrics))
        state.set_cursor(k % state.steps)
        panel.refresh()
    assert _items(panel) == before



def test_cursor_spans_the_generated_steps_of_one_to_many(qtbot):
    from app.state import DashboardState
    from rnncore import Batch, Model, ModelConfig
    cfg = ModelConfig(cell="lstm", input_size=3, hidden_size=4, shape="one-to-many", output="softmax",
                      output_size=5, target_length=6)
    model = Model(cfg, 0)
    ex = Batch(np.eye(3)[:1], np.array([[1, 2, 3, 4, 0, 1]]))
    state = DashboardState()
    state.reset_run(None, cfg, None, ex)
    state.set_trace(model.trace(ex).select(0))
    assert state.steps == 6
    state.set_cursor(5)
    assert state.cursor == 5


def test_gradnorm_panel_shows_per_parameter_norms(qtbot):
    from demo_panels import demo_state
    from app.panels.gradnorm import GradNormPanel
    state = demo_state()
    panel = GradNormPanel(state)
    qtbot.addWidget(panel)
    panel.per_param.setChecked(True)
    panel.refresh(force=True)
    assert state.snapshot.grad_norms                  # step 30 of the demo run is traced
    assert len(panel.bars.opts["width"]) == len(state.snapshot.grad_norms) == len(panel._param_names)


def test_flow_panel_draws_all_zero_gradients_without_warnings(qtbot):
    import warnings
    import dataclasses
    from demo_panels import demo_state
    from app.panels.flow import FlowPanel
    st = demo_state()
    tr = st.trace
    zeros = {p: [[np.zeros_like(f) for f in row] for row in layers] for p, layers in tr.flows.items()}
    st.set_trace(dataclasses.replace(tr, flows=zeros))
    panel = FlowPanel(st)
    qtbot.addWidget(panel)
    panel.show()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        panel.refresh(force=True)
        panel.plot.getPlotItem().vb.updateAutoRange()
        panel.grab()
    drawn = [ln for ln in panel.lines if _points(ln)]
    assert not drawn, "all-zero norms have nothing to draw on a log axis"
    assert panel.head.text()
