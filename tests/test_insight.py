"""Insight analyses: ablation is exact, influence is a true gradient, PCA, ranking."""
import numpy as np
import pytest

from helpers import numeric_grad, random_batch, rel_error, small_config
from rnncore import Batch, Model, ModelConfig
from rnncore.insight import (ablated, float_twin, gradient_check, influence, pca_fit, pca_project,
                             rank_units, saturation)


def _manual_clamped_logits(model, x, layer, direction, units, value):
    """Emulate ablation by stepping: a[layer]<t>[units] = value at every step, a<0> included."""
    c = model.config
    stack, P, _ = model.parts["rnn"]
    X = np.ascontiguousarray(np.transpose(x, (1, 0, 2)))
    h = X
    for l, dirs in enumerate(stack.layers):
        outs = []
        for d, lay in enumerate(dirs):
            T = h.shape[0]
            A = np.empty((T, h.shape[1], c.hidden_size))
            state = None
            if l == layer and d == direction:
                a0 = np.zeros((h.shape[1], c.hidden_size))
                a0[:, units] = value
                state = (a0, np.zeros_like(a0) if lay.cell.has_c else None)
            for t in lay.order(T):
                At, state, _ = lay.forward(P[l][d], h[t:t + 1], state0=state)
                a = At[0].copy()
                if l == layer and d == direction:
                    a[:, units] = value
                A[t] = a
                state = (a, state[1])
            outs.append(A)
        h = np.concatenate(outs, axis=-1) if len(outs) > 1 else outs[0]
    return h @ model.params["head.W"] + model.params["head.b"]


@pytest.mark.parametrize("cell,reset_after", [("rnn", False), ("gru-simple", False), ("gru", False),
                                              ("gru", True), ("lstm", False)])
@pytest.mark.parametrize("value", [0.0, 0.7])
def test_ablation_equals_clamping_the_unit(cell, reset_after, value):
    if value and cell == "gru" and not reset_after:
        pytest.skip("the notes' GRU can only be ablated")
    cfg = small_config(cell, reset_after, "many-to-many", True, 2, H=4)
    rng = np.random.default_rng(0)
    model = Model(cfg, rng)
    x = rng.standard_normal((2, 5, 2))
    for layer, direction in [(0, 0), (0, 1), (1, 0), (1, 1)]:
        m2 = ablated(model, [1, 3], layer, direction, value=value)
        got = m2.forward(x).logits
        want = _manual_clamped_logits(model, x, layer, direction, [1, 3], value)
        np.testing.assert_allclose(got, want, atol=1e-12)


def test_ablation_rejects_bad_units():
    model = Model(small_config("lstm", False, "many-to-many", False, 1), 0)
    with pytest.raises(ValueError, match=r"units must be in \[0, 3\)"):
        ablated(model, [5])


def test_influence_is_the_input_gradient():
    cfg = small_config("lstm", False, "many-to-many", False, 1, output="linear", output_size=1)
    model = Model(cfg, 0)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((1, 4, 2))
    inf = influence(model, Batch(x, np.zeros((1, 4, 1))))
    assert inf.shape == (4, 4)
    assert np.all(inf[np.triu_indices(4, 1)] == 0)          # ŷ<t> cannot depend on later x
    t = 2
    g = numeric_grad(lambda: model.forward(x).logits[t, 0, 0], x)
    np.testing.assert_allclose(inf[t], np.sqrt((g[0] ** 2).sum(-1)), rtol=1e-6)


def test_float_twin_matches_tokens():
    cfg = ModelConfig(cell="gru", vocab_size=6, embedding_dim=3, hidden_size=4, output="softmax", output_size=3)
    model = Model(cfg, 0)
    ex = Batch(np.array([[1, 4, 2]]), np.array([[0, 1, 2]]))
    twin, x = float_twin(model, ex)
    np.testing.assert_allclose(twin.forward(x).logits, model.forward(ex.x).logits, atol=1e-12)
    assert influence(model, ex).shape == (3, 3)


def test_saturation_counts_valid_steps_only():
    cfg = small_config("lstm", False, "many-to-many", False, 1)
    model = Model(cfg, 0)
    batch = random_batch(cfg, np.random.default_rng(2))
    tr = model.trace(batch)
    sat = saturation(tr)
    left, right = sat[("rnn", 0, 0, "gamma_f")]
    g = tr.parts["rnn"][0][0]["gamma_f"]
    valid = np.arange(g.shape[0])[:, None] < tr.lengths[None]
    np.testing.assert_allclose(left, ((g < 0.1) & valid[..., None]).sum((0, 1)) / valid.sum())
    assert set(k[3] for k in sat) == {"gamma_u", "gamma_f", "gamma_o"}


def test_pca_and_ranking():
    rng = np.random.default_rng(3)
    states = rng.standard_normal((50, 5)) * [5, 1, 0.1, 0.1, 0.1]
    mean, comps, explained = pca_fit(states)
    assert abs(abs(comps[0, 0]) - 1) < 0.05 and explained[0] > 0.8
    assert pca_project(states, mean, comps).shape == (50, 2)
    labels = rng.integers(0, 2, 200)
    values = rng.standard_normal((200, 4))
    values[:, 2] += 3 * labels
    assert int(np.argmax(rank_units(values, labels))) == 2


def test_gradient_check_reports_small_errors():
    cfg = small_config("gru", True, "many-to-one", True, 2, dtype="float32")
    model = Model(cfg, 0)
    batch = random_batch(cfg, np.random.default_rng(4))
    errs = gradient_check(model, batch, max_entries=10)
    assert set(errs) == set(model.params) and max(errs.values()) < 1e-6


def test_score_units_reads_a_language_model_of_agreement():
    """--mode lm: the probe's batch has a target per step (it did not, and the trace failed)."""
    from rnncore.probe import score_units
    from rnncore.tasks import make_task
    task = make_task("agreement", mode="lm", distance="1-3", eval_per_cell=2)
    model = Model(task.model_config(hidden_size=6), 0)
    scores = score_units(task, model, n=16)
    assert scores.kind != "activity" and len(scores.ranked()) == 6
    from rnncore.probe import ablation_scores
    assert ablation_scores(task, model, n=16, distances=task.test_distance).kind == "ablation"
