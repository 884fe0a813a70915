"""The whole sequence equals stepping one time step at a time with carried state,
forward and backward (karpathy's batched-LSTM test)."""
import numpy as np
import pytest

from rnncore.cells import make_cell
from rnncore.config import ModelConfig
from rnncore.layers import Direction

KINDS = [("rnn", False), ("gru-simple", False), ("gru", False), ("gru", True), ("lstm", False)]


def _layer(cell, reset_after, reverse, D=3, H=4, seed=0):
    cfg = ModelConfig(cell=cell, reset_after=reset_after, hidden_size=H, input_size=D)
    c = make_cell(cfg)
    rng = np.random.default_rng(seed)
    p = {k: rng.uniform(-0.6, 0.6, s) for k, s in c.param_shapes(D).items()}
    return Direction(c, reverse=reverse), p


@pytest.mark.parametrize("cell,reset_after", KINDS)
@pytest.mark.parametrize("reverse", [False, True])
def test_sequence_equals_steps(cell, reset_after, reverse):
    layer, p = _layer(cell, reset_after, reverse)
    rng = np.random.default_rng(1)
    T, N, H = 6, 2, 4
    X = rng.standard_normal((T, N, 3))
    dA = rng.standard_normal((T, N, H))          # loss = Σ dA · a
    A, final, cache = layer.forward(p, X)
    dX, dstate0, grads, flow = layer.backward(p, dA, cache)

    # forward, one step at a time in the layer's own order, carrying (a, c)
    state, caches, A_steps = None, {}, np.empty_like(A)
    for t in layer.order(T):
        At, state, caches[t] = layer.forward(p, X[t:t + 1], state0=state)
        A_steps[t] = At[0]
    np.testing.assert_allclose(A_steps, A, rtol=0, atol=1e-14)
    np.testing.assert_allclose(state[0], final[0], rtol=0, atol=1e-14)

    # backward, one step at a time, carrying ∂L/∂state back through time
    dfinal, total = None, {k: np.zeros_like(v) for k, v in p.items()}
    dX_steps = np.empty_like(dX)
    for t in reversed(layer.order(T)):
        dx, dfinal, g, _ = layer.backward(p, dA[t:t + 1], caches[t], dfinal)
        dX_steps[t] = dx[0]
        for k in total:
            total[k] += g[k]
    np.testing.assert_allclose(dX_steps, dX, rtol=1e-12, atol=1e-13)
    for k in total:
        np.testing.assert_allclose(total[k], grads[k], rtol=1e-12, atol=1e-13, err_msg=k)
    np.testing.assert_allclose(dfinal[0], dstate0[0], rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("cell,reset_after", KINDS)
def test_padding_never_leaks(cell, reset_after):
    """A sequence padded with garbage gives the same outputs, final state and
    gradients as the same sequence alone."""
    layer_f, p = _layer(cell, reset_after, False)
    layer_b = Direction(layer_f.cell, reverse=True)
    rng = np.random.default_rng(2)
    short = rng.standard_normal((3, 1, 3))
    padded = np.concatenate([short, 100 * rng.standard_normal((4, 1, 3))])
    mask = np.array([1, 1, 1, 0, 0, 0, 0], float)[:, None, None]
    for layer in (layer_f, layer_b):
        A0, f0, c0 = layer.forward(p, short)
        A1, f1, c1 = layer.forward(p, padded, mask)
        np.testing.assert_allclose(A1[:3], A0, atol=1e-14)
        np.testing.assert_allclose(f1[0], f0[0], atol=1e-14)
        dA = rng.standard_normal(A1.shape)
        dA[3:] = 0
        g0 = layer.backward(p, dA[:3], c0)[2]
        g1 = layer.backward(p, dA, c1)[2]
        for k in g0:
            np.testing.assert_allclose(g1[k], g0[k], rtol=1e-12, atol=1e-14, err_msg=k)
