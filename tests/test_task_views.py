"""Issue 9, task views that tell the truth: an encoder-decoder's x<1..T_x> and y<1..T_y> on their
own time axes with the cursor on one; sentiment's ŷ at every t; melody's sampled melody and the
first note's loss; adding's flagged numbers and its answer in view; no gate the cell lacks and no
pyqtgraph default ticks before data arrives. Each asserts what is drawn."""
import numpy as np
import pytest

from app.panels.gates import GatesPanel
from app.panels.memory import MemoryPanel
from app.panels.sequence import SequencePanel
from app.state import DashboardState
from rnncore.model import Model
from rnncore.tasks import make_task
from test_panels import make as panel


def traced(task_name, **model):
    """A DashboardState holding a fresh model's trace of the task's own example, and its weights."""
    task = make_task(task_name)
    mc = task.model_config(hidden_size=8, **model)
    m = Model(mc, 0)
    st = DashboardState()
    ex = task.display_example()
    st.reset_run(task, mc, task.train_config(), ex)
    st.set_trace(m.trace(ex).select(0), ex)
    st.set_weights(m.state_dict())
    return st




def test_dates_has_two_time_axes_and_the_cursor_on_one(qtbot):
    st = traced("dates")
    p = panel(qtbot, SequencePanel, st)
    strip = p.strip
    assert [b.part for b in strip.bands] == ["enc", "dec"]
    enc, dec = strip.bands
    assert [r.name for r in enc.rows] == ["x<t>"] and [r.name for r in dec.rows] == ["y<t>", "ŷ<t>"]
    assert len(enc.xs) - 1 == 11 and len(dec.xs) - 1 == 10          # "26 nov 2026" → "2026-11-26"
    assert dec.left > enc.xs[-1]                                    # side by side, its own step numbers
    assert st.part == "enc" and strip.cursor_band() == 0 and st.steps == 11
    st.set_cursor(10)                                               # x<11>
    st.set_cursor(2, "dec")                                         # a click on y<3>
    assert st.part == "dec" and st.cursor == 2 and st.steps == 10
    assert strip.cursor_band() == 1 and strip.cursor == 2
    # the gates follow the cursor to the decoder
    g = panel(qtbot, GatesPanel, st)
    assert g.chooser.selection(st.trace)[0] == "dec"


def test_sentiment_shows_the_running_prediction_at_every_t(qtbot):
    st = traced("sentiment")
    p = panel(qtbot, SequencePanel, st)
    rows = {r.name: r for r in p.strip.rows}
    T = int(st.trace.lengths[0])
    run = rows["ŷ<t>"].cells
    assert len(run) == T and all(c is not None and c.text in ("positive", "negative") for c in run)
    # the last one is the model's answer itself (the trace's ŷ)
    p_last = float(st.trace.outputs[-1, 0, 0])
    assert run[-1].text == ("positive" if p_last > 0.5 else "negative")
    assert run[-1].sub == f"{max(p_last, 1 - p_last):.2f}"


def test_melody_shows_a_sampled_melody_and_explains_the_first_note(qtbot):
    st = traced("melody")
    p = panel(qtbot, SequencePanel, st)
    rows = {r.name: r for r in p.strip.rows}
    assert "sampled" in rows and len(rows["sampled"].cells) == 8
    assert all(c.text[0] in "ABCDEFG" for c in rows["sampled"].cells)
    assert "first note is a random one of 8 starts" in p.summary.text() and "ln 8 = 2.08" in p.summary.text()


def test_adding_marks_the_two_numbers_and_keeps_its_answer_in_view(qtbot):
    st = traced("adding")
    p = panel(qtbot, SequencePanel, st)
    x = p.strip.rows[0].cells
    assert sum(c.flag for c in x) == 2
    assert p.strip.sizeHint().width() > p.scroll.width()            # 50 steps: the strip scrolls
    assert p.answer.isVisible() and "y = " in p.answer.text() and "ŷ = " in p.answer.text()


@pytest.mark.parametrize("cell,shown", [("lstm", {"gamma_u", "gamma_f", "gamma_o", "c_tilde"}),
                                        ("gru", {"gamma_u", "gamma_r", "c_tilde"})])
def test_before_a_trace_only_the_cells_own_gates_and_no_default_ticks(qtbot, cell, shown):
    task = make_task("agreement")
    st = DashboardState()
    st.reset_run(task, task.model_config(cell=cell, hidden_size=8), task.train_config())
    g = panel(qtbot, GatesPanel, st)
    assert {k for k, hm in g.maps.items() if hm.isVisibleTo(g)} == shown
    m = MemoryPanel(DashboardState())          # built, not yet redrawn: no pyqtgraph default range
    qtbot.addWidget(m)
    for hm in (m.c_map, m.a_map):
        (x0, x1), (y0, y1) = hm.plot.getPlotItem().viewRange()
        assert x1 - x0 >= 1 and y1 - y0 >= 1
