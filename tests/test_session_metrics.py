"""Task metrics off the training path (rnncore.evaluation), kept in run files, and a run file
read once (issue 9: 'Files' and 'Task metrics never hold up training')."""
import queue
import threading

import numpy as np

import rnncore.runs as runs
from rnncore.runspec import RunSpec
from rnncore.session import Session, run
from tests.test_session import SPEC, Script, _loop

ADDING = RunSpec(task="adding", model={"hidden_size": 4}, train={"batch_size": 4})


class _SlowTask:
    """A task whose evaluation waits until the test lets it finish."""

    def __init__(self):
        self.started, self.release = threading.Event(), threading.Event()

    def evaluate(self, model, rng=None):
        self.started.set()
        assert self.release.wait(60)
        return {"accuracy": 0.5}


def test_training_goes_on_while_the_metrics_are_evaluated():
    trainer, _ = SPEC.build()
    task = _SlowTask()
    s = Session(lambda: (trainer, task))
    commands = [("evaluate", None), ("step", 1)]

    class Commands:                                    # 'step' again and again until 20 steps were taken
        given = False                                  # one command per turn of the loop

        def get(self, timeout=None):
            return self.get_nowait()

        def get_nowait(self):
            if s.busy or self.given:
                self.given = False
                raise queue.Empty
            self.given = True
            if commands:
                return commands.pop(0)
            if trainer.step < 20:
                assert task.started.wait(60) and not task.release.is_set()   # it is under way
                return ("step", 1)
            if not task.release.is_set():
                task.release.set()                     # now let the evaluation end
            if s.evaluating:
                raise queue.Empty
            return ("stop", None)

    packets = [p for msg in run([s], Commands()) for p in msg]
    began = next(i for i, p in enumerate(packets) if p.evaluating)
    ended = next(i for i, p in enumerate(packets) if p.metrics)
    stepped_between = sum(p.n for p in packets[began:ended])
    assert stepped_between >= 19, "the trainer waited for the evaluation"
    assert packets[ended].metrics == {"accuracy": 0.5} and packets[ended].evaluating is False
    assert packets[ended].metrics_step <= 2 < packets[ended].step


def test_a_saved_run_brings_its_metrics_and_is_read_once(tmp_path, monkeypatch):
    path = tmp_path / "run.npz"
    packets = _loop(("step", 3), ("evaluate", None), ("save", str(path)), sessions=ADDING.sessions())
    shown = next(p for p in packets if p.metrics)
    assert next(p for p in packets if p.reply and p.reply[0] == "save").reply[1] == str(path)

    reads = []
    load = runs.load_run
    monkeypatch.setattr(runs, "load_run", lambda p: reads.append(p) or load(p))
    spec = RunSpec(run_path=str(path))
    spec.describe()                                    # the window checks the file …
    sessions = spec.sessions()                         # … the training process builds from it
    opened = [p for msg in run(sessions, Script([("reset", None)], sessions)) for p in msg]
    assert len(reads) == 1, "the run file was read more than once"
    first = opened[0]
    assert first.reset and first.step == 3 and first.metrics_step == 3
    assert first.metrics.keys() == shown.metrics.keys()
    assert first.metrics["mse"] == shown.metrics["mse"]
    assert not any(p.evaluating for p in opened), "saved metrics are shown, not evaluated again"
    assert [p.metrics["mse"] for p in opened if p.reset] == [shown.metrics["mse"]] * 2   # reset too


def test_an_older_run_file_without_metrics_is_evaluated_on_open(tmp_path):
    trainer, task = ADDING.build()
    for _ in range(3):
        trainer.train_step()
    path = runs.save_run(tmp_path / "old.npz", trainer, task)        # as saved before metrics were kept
    sessions = RunSpec(run_path=str(path)).sessions()
    packets = _loop(sessions=sessions)
    assert packets[0].metrics is None and any(p.evaluating for p in packets)
    got = next(p for p in packets if p.metrics)
    assert got.metrics_step == 3 and np.isfinite(got.metrics["mse"])


def test_a_malformed_metrics_entry_is_ignored(tmp_path):
    trainer, task = ADDING.build()
    trainer.train_step()
    path = runs.save_run(tmp_path / "odd.npz", trainer, task, {"metrics": {"accuracy": 1.0}, "metrics_step": "x"})
    assert RunSpec(run_path=str(path)).sessions()[0].metrics is None


# -- a phase step is taken on a copy: it never moves the run (issue 11) ------------------------------
def test_a_phase_step_does_not_move_the_code_tasks_carried_state(tmp_path):
    corpus = tmp_path / "corpus.py"
    corpus.write_text("".join(f"def f{i}(x):\n    return x * {i}  # {i}\n" for i in range(400)))
    spec = RunSpec(task="code", task_options={"corpus": str(corpus), "seq_len": 12},
                   model={"hidden_size": 8}, train={"batch_size": 4})
    looked, (plain, _) = spec.build(), spec.build()
    for tr in (looked[0], plain):
        tr.train_step()                            # a state a<t> is now carried to the next chunk
    phases = looked[0].phases_on_copy()
    assert [p.name for p in phases][-1] == "update"
    looked[0].train_step()
    plain.train_step()
    for k, w in plain.model.state_dict().items():
        np.testing.assert_array_equal(looked[0].model.state_dict()[k], w, err_msg=k)


def test_the_phases_show_the_next_step_the_run_will_take():
    trainer, _ = SPEC.build()
    trainer.train_step()                           # the data stream has moved on from its seed
    phases = trainer.phases_on_copy()
    trainer.train_step()
    shown = next(p for p in phases if p.name == "loss").data["loss"]
    assert shown == trainer.history.arrays()["loss"][-1]


def test_evaluating_a_diverged_model_is_said_in_words():
    from rnncore.evaluation import Evaluator
    trainer, task = ADDING.build()
    name = next(iter(trainer.model.params))
    trainer.model.params[name][...] = np.nan
    ev = Evaluator()
    assert ev.start(task, trainer.model, 0)
    done = ev.take()
    assert done.metrics is None and "finite" in done.error
