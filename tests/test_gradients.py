"""Exact BPTT: every gradient equals central differences (float64, rel. error < 1e-6)
for every cell × direction × depth × sequence shape, with ragged lengths."""
import numpy as np
import pytest

from helpers import CELLS, SHAPES, numeric_grad, random_batch, rel_error, small_config
from rnncore import Batch, Model

COMBOS = [(cell, ra, shape, bi, layers)
          for cell, ra in CELLS for shape in SHAPES for bi in (False, True) for layers in (1, 2)
          if not (shape == "one-to-many" and bi)]


def _id(c):
    cell, ra, shape, bi, layers = c
    return f"{cell}{'-after' if ra else ''}-{shape}-{'bi' if bi else 'uni'}-L{layers}"


@pytest.mark.parametrize("combo", COMBOS, ids=[_id(c) for c in COMBOS])
def test_gradients_match_central_differences(combo):
    cfg = small_config(*combo)
    rng = np.random.default_rng(1)
    model = Model(cfg, rng)
    batch = random_batch(cfg, rng)
    res = model.loss_and_grads(batch)
    for name, p in model.params.items():
        num = numeric_grad(lambda: model.loss(batch), p)
        assert rel_error(num, res.grads[name]) < 1e-6, name
    if cfg.vocab_size == 0:
        x = np.array(batch.x, dtype=float)
        b2 = Batch(x, batch.y, batch.x_lengths, batch.y_lengths)
        num = numeric_grad(lambda: model.loss(b2), x)
        assert rel_error(num, res.dx) < 1e-6, "x"


@pytest.mark.parametrize("output", ["softmax", "sigmoid", "linear"])
@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_every_loss_and_reduction(output, reduction):
    cfg = small_config("lstm", False, "many-to-many", False, 1, output=output,
                       output_size=3, loss_reduction=reduction)
    rng = np.random.default_rng(2)
    model = Model(cfg, rng)
    batch = random_batch(cfg, rng)
    res = model.loss_and_grads(batch)
    for name, p in model.params.items():
        assert rel_error(numeric_grad(lambda: model.loss(batch), p), res.grads[name]) < 1e-6, name


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
def test_vanilla_activations(activation):
    cfg = small_config("rnn", False, "many-to-many", True, 2, activation=activation)
    rng = np.random.default_rng(3)
    model = Model(cfg, rng)
    batch = random_batch(cfg, rng)
    res = model.loss_and_grads(batch)
    for name, p in model.params.items():
        assert rel_error(numeric_grad(lambda: model.loss(batch), p), res.grads[name]) < 1e-6, name


def test_token_inputs_one_hot():
    """Token ids without an embedding select rows of W_ax (the notes' one-hot x<t>)."""
    cfg = small_config("gru", False, "many-to-many", True, 1, vocab_size=6, input_size=0)
    rng = np.random.default_rng(4)
    model = Model(cfg, rng)
    batch = random_batch(cfg, rng)
    res = model.loss_and_grads(batch)
    for name, p in model.params.items():
        assert rel_error(numeric_grad(lambda: model.loss(batch), p), res.grads[name]) < 1e-6, name
    # and they equal float one-hot vectors exactly
    onehot = np.eye(6)[batch.x]
    cfg2 = small_config("gru", False, "many-to-many", True, 1, input_size=6)
    m2 = Model(cfg2, 0)
    m2.load_state_dict(model.state_dict())
    assert np.allclose(m2.loss(Batch(onehot, batch.y, batch.x_lengths)), res.loss, rtol=1e-13)


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_flow_is_gradient_wrt_hidden_state(cell):
    """∂L/∂a<t> reported by backward equals the derivative of L when a<t> itself is nudged."""
    from rnncore.losses import binary_cross_entropy, reduce
    cfg = small_config(cell, False, "many-to-many", False, 1)
    rng = np.random.default_rng(5)
    model = Model(cfg, rng)
    batch = random_batch(cfg, rng, ragged=False)
    res = model.loss_and_grads(batch)
    flow = res.flows["rnn"][0][0]                          # (T, N, H)
    stack, P, _ = model.parts["rnn"]
    layer, p = stack.layers[0][0], P[0][0]
    X = np.ascontiguousarray(np.transpose(batch.x, (1, 0, 2)))
    Y = np.transpose(batch.y, (1, 0, 2))
    T = X.shape[0]

    def loss_with_nudge(t, delta):
        A1, (a, c), _ = layer.forward(p, X[:t + 1])
        A1 = A1.copy()
        A1[t] += delta
        a = A1[t]
        parts = [A1]
        if t + 1 < T:
            A2, _, _ = layer.forward(p, X[t + 1:], state0=(a, c))
            parts.append(A2)
        A = np.concatenate(parts)
        logits = A @ model.params["head.W"] + model.params["head.b"]
        elem, dz = binary_cross_entropy(logits, Y)
        return reduce(elem, dz, None, "sum")[0]

    for t in range(T):
        delta = np.zeros_like(flow[t])
        num = numeric_grad(lambda: loss_with_nudge(t, delta), delta)
        assert rel_error(num, flow[t]) < 1e-6, t
