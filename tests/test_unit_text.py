"""The text coloured by a unit: the example's own characters, each with the unit's
value as background, the time cursor underlined; the untrained model beside it;
ranking on held-out files selects the unit that tracks the chosen signal."""
from __future__ import annotations

import numpy as np
import pytest

from app.insight.unit_text import UnitTextPanel
from app.state import DashboardState
from rnncore.tasks import make_task
from rnncore.trainer import Trainer

WAIT = 30_000


@pytest.fixture
def code_state(tmp_path):
    for k in range(10):
        (tmp_path / f"m{k}.py").write_text(f"def f{k}(a, b):\n    return (a + [b]) * {k}  # x\n" * 8)
    task = make_task("code", corpus=str(tmp_path), seq_len=20)
    mcfg = task.model_config(hidden_size=6, dtype="float64")
    tcfg = task.train_config(batch_size=4, seed=3)
    display = task.display_example()
    tr = Trainer.create(mcfg, tcfg, task, display)
    for _ in tr.run(5):
        pass
    st = DashboardState()
    st.reset_run(task, mcfg, tcfg, display)
    st.set_trace(tr.trace_display(), display)
    w = tr.model.state_dict()
    st.set_weights(w)
    return st


def _settle(qtbot, panel):
    qtbot.waitUntil(lambda: not panel.jobs.busy and not panel.rank_jobs.busy, timeout=WAIT)
    panel.refresh(force=True)


def test_text_is_coloured_by_the_unit_and_follows_the_cursor(qtbot, code_state):
    st = code_state
    panel = UnitTextPanel(st)
    qtbot.addWidget(panel)
    panel.show()
    panel.refresh(force=True)
    _settle(qtbot, panel)
    text = st.task.text(np.asarray(st.example.x)[0])
    trained, untrained = panel.views
    assert trained.toPlainText() == text and untrained.toPlainText() == text
    assert panel.untrained is not None and panel.untrained["c"].shape == (len(text), 6)
    assert not np.allclose(panel.untrained["c"], panel.trained["c"])
    html = trained.toHtml()
    assert html.count("background-color:#") >= len(text) // 2
    st.set_cursor(7)
    sel = trained.extraSelections()
    assert len(sel) == 1 and sel[0].cursor.selectionStart() == 7 and sel[0].cursor.selectionEnd() == 8
    from rnncore.tasks.code_signals import SIGNALS
    assert panel.signal.count() == len(SIGNALS) and panel.rank.isEnabled()
    panel.signal.setCurrentIndex(panel.signal.findData("depth"))
    assert panel.signal.currentText() == "bracket depth, in code"
    panel.rank.click()
    _settle(qtbot, panel)
    r = panel.ranking["trained"]["c"][:, panel.signal.currentIndex()]
    assert panel.unit.value() == int(np.argmax(np.abs(r)))
    assert "untrained model's best |r|" in panel.note.text() and "bracket depth, in code" in panel.note.text()
    panel.close()


def test_other_tasks_show_tokens_without_ranking(qtbot):
    from demo_insight import insight_state
    st = insight_state("agreement", "gru", steps=2, hidden=4)
    panel = UnitTextPanel(st)
    qtbot.addWidget(panel)
    panel.show()
    panel.refresh(force=True)
    _settle(qtbot, panel)
    assert panel.views[0].toPlainText().split() == [t.replace("␣", " ") for t in
                                                     st.task.describe(st.example, 0)["x"]]
    assert panel.signal.count() == 0 and not panel.rank.isEnabled()
    panel.close()


def test_an_example_that_arrives_again_as_a_new_object_is_drawn(qtbot, code_state):
    """From the training process the same example comes back as a new Batch, whose ==
    compares arrays: the panel must tell examples apart by identity, not raise."""
    import dataclasses
    st = code_state
    panel = UnitTextPanel(st)
    qtbot.addWidget(panel)
    panel.show()
    panel.refresh(force=True)
    again = dataclasses.replace(st.example)
    st.set_trace(st.trace, again)
    panel.refresh(force=True)
    assert panel._seen[1] is again and panel.trained is not None
    _settle(qtbot, panel)
    panel.close()
