"""The deeplearning.ai Sequence Models course's published outputs (C5 W1 A1,
"Building your Recurrent Neural Network - Step by Step"), reproduced by our cells.

The course draws parameters with np.random.seed(1) in a fixed order and prints
a few rows; those printed numbers are copied here. The course works column-wise
(x<t> of shape (n_x, m)); the core is row-wise, so every array is transposed and
the course's W = [W_aa | W_ax] (on [a<t-1>; x<t>]) is split into Wh = W_aaᵀ, Wx = W_axᵀ.
"""
import numpy as np

from rnncore.cells import LSTMCell, RNNCell
from rnncore.functional import softmax
from rnncore.layers import Direction


def _rnn_params():
    np.random.seed(1)
    draws = {}
    draws["xt"] = np.random.randn(3, 10)
    draws["a_prev"] = np.random.randn(5, 10)
    for name, shape in [("Waa", (5, 5)), ("Wax", (5, 3)), ("Wya", (2, 5)), ("ba", (5, 1)), ("by", (2, 1))]:
        draws[name] = np.random.randn(*shape)
    return draws


def _lstm_draws(x_shape, with_c_prev=True):
    np.random.seed(1)
    d = {"x": np.random.randn(*x_shape), "a_prev": np.random.randn(5, 10)}
    if with_c_prev:
        d["c_prev"] = np.random.randn(5, 10)
    for g in "fioc":  # the course draws Wo, bo before Wc, bc
        d["W" + g] = np.random.randn(5, 8)
        d["b" + g] = np.random.randn(5, 1)
    d["Wy"] = np.random.randn(2, 5)
    d["by"] = np.random.randn(2, 1)
    return d


def _lstm_params(d):
    """Course (W_f, W_i, W_o, W_c on [a; x]) → core blocks (Γu, Γf, Γo, c̃)."""
    W = np.concatenate([d["Wi"], d["Wf"], d["Wo"], d["Wc"]])        # (4H, H + D)
    b = np.concatenate([d["bi"], d["bf"], d["bo"], d["bc"]])[:, 0]
    return {"Wh": W[:, :5].T.copy(), "Wx": W[:, 5:].T.copy(), "b": b}


def test_rnn_cell_forward():
    d = _rnn_params()
    layer = Direction(RNNCell(5))
    p = {"Wx": d["Wax"].T.copy(), "Wh": d["Waa"].T.copy(), "b": d["ba"][:, 0]}
    A, (a, _), _ = layer.forward(p, d["xt"].T[None], state0=(d["a_prev"].T.copy(), None))
    y = softmax(a @ d["Wya"].T + d["by"][:, 0])
    np.testing.assert_allclose(a.T[4], [0.59584544, 0.18141802, 0.61311866, 0.99808218, 0.85016201,
                                        0.99980978, -0.18887155, 0.99815551, 0.6531151, 0.82872037], atol=1e-7)
    np.testing.assert_allclose(y.T[1], [0.9888161, 0.01682021, 0.21140899, 0.36817467, 0.98988387,
                                        0.88945212, 0.36920224, 0.9966312, 0.9982559, 0.17746526], atol=1e-7)


def test_rnn_forward():
    np.random.seed(1)
    x = np.random.randn(3, 10, 4)
    a0 = np.random.randn(5, 10)
    Waa, Wax, Wya = np.random.randn(5, 5), np.random.randn(5, 3), np.random.randn(2, 5)
    ba, by = np.random.randn(5, 1), np.random.randn(2, 1)
    p = {"Wx": Wax.T.copy(), "Wh": Waa.T.copy(), "b": ba[:, 0]}
    A, _, _ = Direction(RNNCell(5)).forward(p, x.transpose(2, 1, 0).copy(), state0=(a0.T.copy(), None))
    a = A.transpose(2, 1, 0)                       # course layout (n_a, m, T_x)
    y = softmax(A @ Wya.T + by[:, 0]).transpose(2, 1, 0)
    np.testing.assert_allclose(a[4][1], [-0.99999375, 0.77911235, -0.99861469, -0.99833267], atol=1e-7)
    np.testing.assert_allclose(y[1][3], [0.79560373, 0.86224861, 0.11118257, 0.81515947], atol=1e-7)


def test_lstm_cell_forward():
    d = _lstm_draws((3, 10))
    layer = Direction(LSTMCell(5))
    A, (a, c), _ = layer.forward(_lstm_params(d), d["x"].T[None],
                                 state0=(d["a_prev"].T.copy(), d["c_prev"].T.copy()))
    y = softmax(a @ d["Wy"].T + d["by"][:, 0])
    np.testing.assert_allclose(a.T[4], [-0.66408471, 0.0036921, 0.02088357, 0.22834167, -0.85575339,
                                        0.00138482, 0.76566531, 0.34631421, -0.00215674, 0.43827275], atol=1e-7)
    np.testing.assert_allclose(c.T[2], [0.63267805, 1.00570849, 0.35504474, 0.20690913, -1.64566718,
                                        0.11832942, 0.76449811, -0.0981561, -0.74348425, -0.26810932], atol=1e-7)
    np.testing.assert_allclose(y.T[1], [0.79913913, 0.15986619, 0.22412122, 0.15606108, 0.97057211,
                                        0.31146381, 0.00943007, 0.12666353, 0.39380172, 0.07828381], atol=1e-7)
    np.testing.assert_allclose(c.T[3], [-0.16263996, 1.03729328, 0.72938082, -0.54101719, 0.02752074,
                                        -0.30821874, 0.07651101, -1.03752894, 1.41219977, -0.37647422], atol=1e-7)


def test_lstm_forward():
    d = _lstm_draws((3, 10, 7), with_c_prev=False)
    A, _, cache = Direction(LSTMCell(5)).forward(
        _lstm_params(d), d["x"].transpose(2, 1, 0).copy(), state0=(d["a_prev"].T.copy(), None))
    a = A.transpose(2, 1, 0)
    c = cache.buf.C.transpose(2, 1, 0)
    y = softmax(A @ d["Wy"].T + d["by"][:, 0]).transpose(2, 1, 0)
    assert abs(a[4][3][6] - 0.172117767533) < 1e-11
    assert abs(y[1][4][3] - 0.95087346185) < 1e-10
    assert abs(c[1][2][1] - (-0.855544916718)) < 1e-11
