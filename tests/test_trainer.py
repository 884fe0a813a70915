"""The trainer: determinism, snapshots, clipping, commands, divergence."""
import numpy as np
import pytest

from rnncore import Batch, ModelConfig, TrainConfig
from rnncore.optim import Adam, SGD, clip_by_norm, clip_by_value, global_norm
from rnncore.trainer import Trainer


def _copy_task(n=256, T=8, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 2, (n, T))
    return Batch(x, x[:, 0].copy())


CFG = ModelConfig(cell="lstm", vocab_size=2, hidden_size=8, shape="many-to-one", output="softmax", output_size=2)


def test_same_seed_same_run_bit_for_bit():
    runs = []
    for _ in range(2):
        tr = Trainer.create(CFG, TrainConfig(seed=7, trace_every=5), _copy_task())
        runs.append([(s.loss, s.grad_norm, s.per_step_loss.tobytes()) for s in tr.run(20)])
    assert runs[0] == runs[1]
    other = Trainer.create(CFG, TrainConfig(seed=8), _copy_task())
    assert [s.loss for s in other.run(20)] != [r[0] for r in runs[0]]


def test_learns_and_snapshots_are_read_only():
    tr = Trainer.create(CFG, TrainConfig(lr=0.02, trace_every=50), _copy_task())
    snaps = list(tr.run(300))
    assert snaps[-1].loss < 0.05 < snaps[0].loss
    s = snaps[-1]
    assert s.trace is not None and s.step == 300
    with pytest.raises(ValueError):
        s.per_step_loss[0] = 1.0
    gate = s.trace.parts["rnn"][0][0]["gamma_f"]
    assert gate.shape == (8, 1, 8) and not gate.flags.writeable
    with pytest.raises(ValueError):
        gate[0, 0, 0] = 0.5
    # the trace is a copy: training on does not change it
    before = gate.copy()
    list(tr.run(5))
    np.testing.assert_array_equal(gate, before)


def test_commands_between_steps():
    tr = Trainer.create(CFG, TrainConfig(lr=0.01, clip="norm", clip_threshold=5.0), _copy_task())
    it = tr.run()
    assert next(it).lr == 0.01
    tr.set_lr(0.001)
    tr.set_clip("norm", 1e-4)
    s = next(it)
    assert s.lr == 0.001 and s.clip_threshold == 1e-4
    assert s.clipped and s.grad_norm_clipped == pytest.approx(1e-4)
    tr.request_trace()
    assert next(it).trace is not None
    with pytest.raises(ValueError, match="lr must be > 0.0"):
        tr.set_lr(-1)


def test_clipping():
    g = {"a": np.array([3.0, 0.0]), "b": np.array([[4.0]])}
    before, after = clip_by_norm(g, 1.0)
    assert (before, after) == (5.0, pytest.approx(1.0))
    np.testing.assert_allclose(g["a"], [0.6, 0.0])
    g = {"a": np.array([3.0, -0.5, -7.0])}
    assert clip_by_value(g, 1.0) == 2
    np.testing.assert_array_equal(g["a"], [1.0, -0.5, -1.0])
    assert global_norm({"a": np.ones(4)}) == 2.0


def test_optimizers_match_reference_formulas():
    p = {"w": np.array([1.0, -2.0])}
    g = {"w": np.array([0.5, 0.25])}
    opt = SGD(p, lr=0.1, momentum=0.9)
    opt.step(g)
    opt.step(g)        # v = g, then 1.9 g
    np.testing.assert_allclose(p["w"], [1.0 - 0.1 * 0.5 * 2.9, -2.0 - 0.1 * 0.25 * 2.9])
    p = {"w": np.array([1.0])}
    opt = Adam(p, lr=0.01)
    opt.step({"w": np.array([2.0])})
    np.testing.assert_allclose(p["w"], [1.0 - 0.01 * 2.0 / (2.0 + 1e-8)])
    assert opt.state["step"] == 1 and opt.state["m"]["w"][0] == pytest.approx(0.2)


def test_divergence_stops_with_last_finite_weights():
    cfg = ModelConfig(cell="rnn", input_size=1, hidden_size=4, output="linear", output_size=1)
    x = np.ones((4, 3, 1))
    y = np.full((4, 3, 1), 1e200)                     # the squared error overflows to inf
    tr = Trainer.create(cfg, TrainConfig(lr=0.1, clip="none"), Batch(x, y))
    before = {k: v.copy() for k, v in tr.model.params.items()}
    snaps = list(tr.run(10))
    assert len(snaps) == 1 and not snaps[0].ok
    assert "Training stopped" in snaps[0].diverged and "step 0" in snaps[0].diverged
    for k, v in tr.model.params.items():
        np.testing.assert_array_equal(v, before[k])


def test_update_that_overflows_is_rolled_back():
    cfg = ModelConfig(cell="rnn", input_size=1, hidden_size=2, output="linear", output_size=1)
    x = np.ones((2, 2, 1))
    y = np.full((2, 2, 1), 1e150)                     # finite loss, huge gradient
    tr = Trainer.create(cfg, TrainConfig(optimizer="sgd", lr=1e3, clip="none"), Batch(x, y))
    snaps = list(tr.run(50))
    last = snaps[-1]
    assert not last.ok
    assert all(np.isfinite(v).all() for v in tr.model.params.values())
    assert tr.optimizer.state["step"] == last.step


def test_phased_step_is_the_same_step():
    from rnncore.trainer import PHASES
    a = Trainer.create(CFG, TrainConfig(seed=3, clip="norm", clip_threshold=0.01), _copy_task())
    b = Trainer.create(CFG, TrainConfig(seed=3, clip="norm", clip_threshold=0.01), _copy_task())
    for _ in range(3):
        sa = a.train_step()
        gen = b.phased_step()
        names = []
        while True:
            try:
                names.append(next(gen).name)
            except StopIteration as done:
                sb = done.value
                break
        assert tuple(names) == PHASES
        assert (sa.loss, sa.grad_norm, sa.grad_norm_clipped, sa.step) == (sb.loss, sb.grad_norm, sb.grad_norm_clipped, sb.step)
    for k in a.model.params:
        np.testing.assert_array_equal(a.model.params[k], b.model.params[k])


def test_phases_carry_what_they_changed():
    tr = Trainer.create(CFG, TrainConfig(seed=1, clip="norm", clip_threshold=1e-3, lr=0.05), _copy_task())
    before = {k: v.copy() for k, v in tr.model.params.items()}
    phases = {p.name: p.data for p in tr.phased_step()}
    assert phases["forward"]["trace"].parts["rnn"][0][0]["gamma_f"].shape[1] == 1
    assert phases["clip"]["clipped"] and phases["clip"]["norm_after"] == pytest.approx(1e-3)
    for k, d in phases["update"]["delta"].items():
        np.testing.assert_allclose(tr.model.params[k] - before[k], d)


def test_traced_steps_carry_per_parameter_gradient_norms():
    tr = Trainer.create(CFG, TrainConfig(seed=2, clip="none", trace_every=2), _copy_task())
    s1, s2 = tr.train_step(), tr.train_step()
    assert s1.grad_norms is None and s1.trace is None
    assert set(s2.grad_norms) == set(tr.model.params) and s2.trace is not None
    assert np.sqrt(sum(v ** 2 for v in s2.grad_norms.values())) == pytest.approx(s2.grad_norm)


def test_create_lets_the_task_prepare_a_fresh_model():
    from rnncore.tasks import make_task
    task = make_task("exploding")
    tr = Trainer.create(task.model_config(), task.train_config(), task)
    Wh = tr.model.params["rnn.l0.fwd.Wh"]
    assert np.max(np.abs(np.linalg.eigvals(Wh))) == pytest.approx(task.options["scale"], rel=1e-3)
