"""Race: four cells, one task, one seed: deterministic, the same data for every cell,
and a window that shows the four of them."""
import numpy as np
import pytest

from rnncore.race import CELLS, Race, RaceSpec, run_race

TINY = dict(task_options={"distance": "3-5", "test_distance": "6-7", "attractors": "0-1", "eval_per_cell": 2},
            model={"hidden_size": 6, "embedding_dim": 4}, train={"batch_size": 8})


def test_headless_race_is_deterministic_and_round_robin():
    a = run_race("agreement", rounds=6, seed=3, trace_every=2, **TINY)
    b = run_race("agreement", rounds=6, seed=3, trace_every=2, **TINY)
    assert a.cells == CELLS
    for c in CELLS:
        assert a.losses[c].shape == (6,) and np.all(np.isfinite(a.losses[c]))
        np.testing.assert_array_equal(a.losses[c], b.losses[c])        # bit for bit
        np.testing.assert_array_equal(a.flows[c], b.flows[c])
        assert a.flows[c].ndim == 1 and np.all(a.flows[c] >= 0)
        assert a.metrics[c] == b.metrics[c] and "by_distance" in a.metrics[c]
    assert a.order == [(c, k) for k in range(1, 7) for c in CELLS]
    assert len({a.losses[c][0] for c in CELLS}) == 4, "the four cells are different models"
    other = run_race("agreement", rounds=2, seed=4, evaluate=False, **TINY)
    assert not np.array_equal(other.losses["lstm"], a.losses["lstm"][:2])


class _Recorder:
    """A task wrapper that records every batch a trainer draws."""

    def __init__(self, task):
        self.task, self.seen = task, []

    def batch(self, rng, size):
        b = self.task.batch(rng, size)
        self.seen.append((np.array(b.x), np.array(b.y)))
        return b


def test_every_cell_gets_the_same_data_stream():
    race = RaceSpec("agreement", TINY["task_options"], TINY["model"], {**TINY["train"], "seed": 5}).build()
    recorders = {}
    for c, tr in race.trainers.items():
        recorders[c] = tr.source = _Recorder(tr.source)
    steps = list(race.run(5, trace_every=0))
    assert len(steps) == 20
    first = recorders["rnn"].seen
    assert len(first) == 5
    for c in CELLS[1:]:
        for (x0, y0), (x1, y1) in zip(first, recorders[c].seen):
            np.testing.assert_array_equal(x0, x1)
            np.testing.assert_array_equal(y0, y1)
    assert {tr.model.config.cell for tr in race.trainers.values()} == set(CELLS)


def test_cell_specific_options_apply_to_their_cell_only():
    race = RaceSpec("adding", {}, {"activation": "relu", "reset_after": True, "hidden_size": 4},
                    {"batch_size": 4}).build()
    cfg = {c: tr.model.config for c, tr in race.trainers.items()}
    assert cfg["rnn"].activation == "relu" and cfg["gru"].reset_after
    assert cfg["lstm"].activation == "tanh" and not cfg["gru-simple"].reset_after
    with pytest.raises(ValueError, match="cell"):
        Race(race.task, ("lstm", "tree"))


def test_a_diverging_cell_stops_and_the_others_race_on():
    race = RaceSpec("adding", {}, {"hidden_size": 4}, {"batch_size": 4}).build()
    tr = race.trainers["gru"]
    for v in tr.model.params.values():
        v[...] = np.nan                     # the next step cannot be finite
    steps = list(race.run(3, trace_every=0))
    assert race.stopped.keys() == {"gru"} and "Training stopped" in race.stopped["gru"]
    assert [s.cell for s in steps if s.cell == "gru"] == ["gru"]
    assert sum(s.cell == "lstm" for s in steps) == 3


# -- the window ---------------------------------------------------------------------
def test_window_shows_four_curves(qtbot):
    from app.window.race_window import RaceWindow, metric_series
    win = RaceWindow(RaceSpec("agreement", **TINY), mode="thread")
    qtbot.addWidget(win)
    got = []
    win.packet_received.connect(got.append)
    win.start()
    qtbot.waitUntil(lambda: bool(got) and got[0].reset, timeout=20000)
    win.step_once(4)
    qtbot.waitUntil(lambda: all(len(win.losses[c]) == 4 for c in CELLS), timeout=20000)
    win.evaluate()
    qtbot.waitUntil(lambda: len(win.metrics) == 4, timeout=60000)
    win.redraw()
    for c in CELLS:
        x, y = win.loss_curves[c].getData()
        assert list(x) == [1, 2, 3, 4] and np.all(np.isfinite(y))
        fx, fy = win.flow_curves[c].getData()
        assert len(fx) == len(win.flows[c]) > 0
        mx, my = win.metric_curves[c].getData()
        assert list(mx) == list(range(3, 8)) and np.all((0 <= my) & (my <= 1))   # accuracy by distance
    assert len({tuple(win.loss_curves[c].getData()[1]) for c in CELLS}) == 4
    assert "by distance" in win.metric_plot.getPlotItem().titleLabel.text
    assert metric_series({"mse": 0.5, "cell": "rnn"}) == ("mse", "", {0.0: 0.5})
    assert win.stop()
    assert not win.running


def test_window_race_in_a_child_process(qtbot):
    from app.window.race_window import RaceWindow
    win = RaceWindow(RaceSpec("agreement", **TINY), mode="process")
    qtbot.addWidget(win)
    win.start()
    win.play()
    qtbot.waitUntil(lambda: all(len(win.losses[c]) >= 3 for c in CELLS), timeout=30000)
    win.pause()
    win.close()
    assert not win.running


def test_a_race_that_cannot_start_says_why(qtbot):
    from app.window.race_window import RaceWindow
    win = RaceWindow(RaceSpec("no-such-task"), mode="thread")
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.finished, timeout=10000):
        win.start()
    assert not win.running and "no-such-task" in win.status.text()
