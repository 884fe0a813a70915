"""The one session protocol, without Qt: commands in, packets out, in one loop."""
import queue

import numpy as np

from rnncore.runspec import RunSpec
from rnncore.session import Packet, Session, run, train

SPEC = RunSpec(factory="worker_factories:tiny")


class Script:
    """A command queue that gives the next command only once every session is idle."""

    def __init__(self, commands, sessions):
        self.commands, self.sessions, self.given = list(commands) + [("stop", None)], sessions, False

    def get(self, timeout=None):
        return self.get_nowait()

    def get_nowait(self):
        if self.given or any(s.busy or s.evaluating for s in self.sessions):
            self.given = False
            raise queue.Empty
        self.given = True
        return self.commands.pop(0)


def _loop(*commands, sessions=None):
    """Run the loop over ``commands`` (then 'stop'); → every packet, in order."""
    sessions = sessions or SPEC.sessions()
    return [p for msg in run(sessions, Script(commands, sessions)) for p in msg]


def test_steps_are_exact_and_every_step_is_reported_once():
    packets = _loop(("step", 5))
    assert packets[0].reset and packets[0].trace is not None and packets[0].weights is not None
    steps = [int(s) for p in packets if p.steps is not None for s in p.steps]
    assert steps == [1, 2, 3, 4, 5]
    assert packets[-1].stopped and packets[-1].step == 5 and packets[-1].acked == 2


def test_mid_run_changes_apply_from_the_next_step_and_bad_values_are_words():
    packets = _loop(("lr", 0.003), ("clip", ("value", 0.5)), ("lr", -1), ("step", 1))
    assert any(p.message and "lr must be > 0" in p.message for p in packets)
    last = [p for p in packets if p.n][-1]
    assert last.lr == 0.003 and last.clip == ("value", 0.5) and last.snapshot.clip == "value"


def test_reset_gives_the_same_run_again():
    packets = _loop(("step", 3), ("reset", None), ("step", 3))
    resets = [i for i, p in enumerate(packets) if p.reset]
    assert len(resets) == 2
    before = [x for p in packets[:resets[1]] if p.n for x in p.loss]
    after = [x for p in packets[resets[1]:] if p.n for x in p.loss]
    assert len(before) == 3 and before == after


def test_phase_and_evaluate_and_unknown_commands():
    packets = _loop(("phase", None), ("nonsense", 1))
    phases = next(p.reply[1] for p in packets if p.reply and p.reply[0] == "phase")
    assert [ph.name for ph in phases] == ["forward", "loss", "backprop", "clip", "update"]
    assert packets[-1].step == 0, "the phases are taken on a copy: the run has not moved"
    assert any(p.message and "unknown command 'nonsense'" in p.message for p in packets)


def test_a_race_is_a_session_per_cell_stepped_in_turn():
    from rnncore.race import RaceSpec
    spec = RaceSpec("adding", {}, {"hidden_size": 4}, {"batch_size": 4}, cells=("rnn", "lstm"))
    packets = _loop(("step", 2), ("evaluate", None), sessions=spec.sessions())
    for cell in ("rnn", "lstm"):
        mine = [p for p in packets if p.source == cell]
        assert [int(s) for p in mine if p.n for s in p.steps] == [1, 2]
        assert any(p.metrics for p in mine) and mine[-1].stopped


def test_headless_training_stops_when_asked_between_steps():
    session = Session(SPEC.build, traces=False, weights=False)
    asked = []
    packets = list(train(session, 1000, should_stop=lambda: len(asked) > 0 or asked.append(1) or False))
    assert packets[-1].stopped and 1 <= session.trainer.step < 1000
    assert all(p.trace is None and p.weights is None for p in packets)
    done = sum(p.n for p in packets)
    assert done == session.trainer.step
    assert isinstance(packets[0], Packet) and np.isfinite(packets[-1].loss[-1] if packets[-1].n else 0.0)


# -- pacing: play pauses itself at the step budget or at the task's target ----------------------
def _tiny_session(**kw):
    return Session(SPEC.build, pace=True, **kw)


def test_play_pauses_at_the_step_budget_and_keep_training_plays_one_more():
    s = _tiny_session(budget=7)
    packets = _loop(("play", None), ("keep", None), sessions=[s])
    steps = [int(x) for p in packets if p.n for x in p.steps]
    reached = [p for p in packets if p.reached]
    assert steps == list(range(1, 15))
    assert [p.step for p in reached] == [7, 14] and "7 steps" in reached[0].reached
    assert not reached[0].playing and reached[0].budget == 7


def test_play_past_the_budget_plays_one_more_budget():
    s = _tiny_session(budget=3)
    packets = _loop(("play", None), ("play", None), sessions=[s])
    assert [p.step for p in packets if p.reached] == [3, 6]


class _Target:
    """A task whose target is unmet at the first evaluation and met from the second on."""
    default_steps = 10_000

    def __init__(self):
        self.calls = 0

    def evaluate(self, model, rng=None):
        self.calls += 1
        return {"met": self.calls >= 2}

    def target_reached(self, metrics):
        return metrics["met"]


class _Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        self.t += 0.25
        return self.t


def test_play_pauses_when_the_target_turns_met_but_not_when_it_was_met_from_the_start():
    trainer, _ = SPEC.build()
    task = _Target()
    s = Session(lambda: (trainer, task), pace=True, clock=_Clock())
    packets = _loop(("play", None), sessions=[s])
    reached = [p for p in packets if p.reached]
    assert len(reached) == 1 and "target" in reached[0].reached and task.calls == 2
    assert 0 < reached[0].step < 10_000

    task2 = _Target()
    task2.calls = 5                        # met at the first look: a lesson in not learning; the budget stops it
    s2 = Session(lambda: (SPEC.build()[0], task2), pace=True, budget=40, clock=_Clock())
    packets = _loop(("play", None), sessions=[s2])
    assert [p.step for p in packets if p.reached] == [40]


def test_reset_keeps_the_users_learning_rate_and_clipping():
    packets = _loop(("lr", 0.004), ("clip", ("none", None)), ("step", 2), ("reset", None), ("step", 1))
    after = packets[[i for i, p in enumerate(packets) if p.reset][-1]:]
    assert all(p.lr == 0.004 and p.clip[0] == "none" for p in after)
    assert [int(x) for p in after if p.n for x in p.steps] == [1]
