"""The worker: a child process trains, the GUI thread receives packets and sends commands."""
import pytest
from PySide6.QtCore import QObject

from app.bridge.worker import RunSpec, Worker
from rnncore.config import ConfigError


class Sink(QObject):
    """Collects what the worker emits, in the GUI thread (a method, never a lambda)."""

    def __init__(self, worker):
        super().__init__()
        self.packets, self.errors, self.diverged = [], [], []
        worker.packet_received.connect(self.on_packet)
        worker.failed.connect(self.on_failed)
        worker.diverged.connect(self.on_diverged)

    def on_packet(self, p):
        self.packets.append(p)

    def on_failed(self, text):
        self.errors.append(text)

    def on_diverged(self, text):
        self.diverged.append(text)

    @property
    def step(self):
        return self.packets[-1].step if self.packets else -1

    @property
    def steps_seen(self):
        return [int(s) for p in self.packets if p.steps is not None for s in p.steps]


@pytest.fixture
def worker(qtbot):
    w = Worker("process")
    yield w
    w.stop()


def test_emits_pauses_steps_once_resumes_and_stops(qtbot, worker):
    sink = Sink(worker)
    worker.start(RunSpec(factory="worker_factories:qt_free"))
    qtbot.waitUntil(lambda: bool(sink.packets), timeout=20000)
    first = sink.packets[0]
    assert first.reset and first.step == 0 and first.trace is not None and not sink.errors
    assert not first.trace.parts["rnn"][0][0]["a"].flags.writeable     # read-only on arrival

    worker.play()
    qtbot.waitUntil(lambda: sink.step >= 20, timeout=10000)
    worker.pause()
    qtbot.waitUntil(lambda: not worker.playing and sink.packets[-1].acked >= 2, timeout=5000)
    qtbot.wait(150)
    paused_at = sink.step
    qtbot.wait(200)
    assert sink.step == paused_at, "training went on while paused"

    worker.step_once()
    qtbot.waitUntil(lambda: sink.step == paused_at + 1, timeout=5000)
    qtbot.wait(200)
    assert sink.step == paused_at + 1, "one step must be exactly one optimizer update"
    assert sink.packets[-1].trace is not None

    worker.play()
    qtbot.waitUntil(lambda: sink.step >= paused_at + 10, timeout=10000)
    seen = sink.steps_seen
    assert seen == list(range(1, len(seen) + 1)), "every step's scalars arrive, in order, once"
    assert worker.stop(timeout=1.0), "the child did not stop within 1 s"
    assert not worker.running and not sink.errors


def test_reset_returns_to_the_same_initial_weights(qtbot, worker):
    sink = Sink(worker)
    worker.start(RunSpec(factory="worker_factories:tiny"))
    qtbot.waitUntil(lambda: bool(sink.packets), timeout=20000)
    worker.step_once(3)
    qtbot.waitUntil(lambda: sink.step == 3, timeout=5000)
    first_losses = list(sink.steps_seen and [float(x) for p in sink.packets if p.loss is not None for x in p.loss])
    worker.reset()
    qtbot.waitUntil(lambda: sink.packets[-1].reset and sink.step == 0, timeout=5000)
    n = len(sink.packets)
    worker.step_once(3)
    qtbot.waitUntil(lambda: sink.step == 3, timeout=5000)
    again = [float(x) for p in sink.packets[n:] if p.loss is not None for x in p.loss]
    assert again == first_losses


def test_exception_in_the_trainer_arrives_as_a_signal(qtbot, worker):
    sink = Sink(worker)
    worker.start(RunSpec(factory="worker_factories:failing"))
    with qtbot.waitSignal(worker.failed, timeout=20000) as blocker:
        worker.play()
    assert "boom at step 3" in blocker.args[0] and "Traceback" in blocker.args[0]
    qtbot.waitUntil(lambda: not worker.playing, timeout=5000)
    assert worker.running          # still alive: the user can reset or save


def test_divergence_pauses_and_says_why(qtbot, worker):
    sink = Sink(worker)
    worker.start(RunSpec(factory="worker_factories:diverging"))
    with qtbot.waitSignal(worker.diverged, timeout=20000) as blocker:
        worker.play()
    assert "Training stopped" in blocker.args[0] and "last finite" in blocker.args[0]
    qtbot.waitUntil(lambda: not worker.playing, timeout=5000)
    assert sink.diverged == [blocker.args[0]]


def test_refused_values_raise_in_the_caller(qtbot, worker):
    worker.start(RunSpec(factory="worker_factories:tiny"))
    with pytest.raises(ConfigError, match="lr must be > 0"):
        worker.set_lr(0)
    with pytest.raises(ConfigError, match="clip must be one of"):
        worker.set_clip("sometimes", 1.0)


def test_mid_run_changes_reach_the_trainer(qtbot, worker):
    sink = Sink(worker)
    worker.start(RunSpec(factory="worker_factories:tiny"))
    qtbot.waitUntil(lambda: bool(sink.packets), timeout=20000)
    worker.set_lr(0.003)
    worker.set_clip("value", 0.5)
    worker.step_once()
    qtbot.waitUntil(lambda: sink.step == 1, timeout=5000)
    p = sink.packets[-1]
    assert p.lr == 0.003 and p.clip == ("value", 0.5)
    assert p.snapshot.lr == 0.003 and p.snapshot.clip == "value"


def test_thread_mode_works_the_same(qtbot):
    w = Worker("thread")
    sink = Sink(w)
    try:
        w.start(RunSpec(factory="worker_factories:tiny"))
        qtbot.waitUntil(lambda: bool(sink.packets), timeout=10000)
        w.step_once(2)
        qtbot.waitUntil(lambda: sink.step == 2, timeout=5000)
    finally:
        assert w.stop(timeout=1.0)


def test_packets_do_not_pile_up_while_the_gui_takes_none(qtbot):
    """A GUI busy drawing (or starved of CPU) takes no packet while the trainer runs 300 steps
    ahead: at most MAX_IN_FLIGHT messages wait, and once it reads again every step's scalars
    arrive. Waits on the steps taken (counted by the data source), never on time."""
    import worker_factories
    from rnncore.session import MAX_IN_FLIGHT

    w = Worker("thread", poll_ms=2)
    sink = Sink(w)
    try:
        w.start(RunSpec(factory="worker_factories:counting"))
        qtbot.waitUntil(lambda: bool(sink.packets), timeout=10000)
        w._timer.stop()                                  # the GUI reads nothing from here on
        start = worker_factories.DRAWN[0]
        w.play()
        qtbot.waitUntil(lambda: worker_factories.DRAWN[0] >= start + 300, timeout=60000)
        backlog = w._packets.qsize()
        w.pause()
        w._timer.start()
        qtbot.waitUntil(lambda: not w.playing and sink.step >= 300, timeout=20000)
    finally:
        w.stop()
    assert backlog <= MAX_IN_FLIGHT, f"{backlog} messages waiting: the window shows the past, memory grows"
    seen = sink.steps_seen
    assert seen == list(range(1, seen[-1] + 1)), "a step's scalars were lost"