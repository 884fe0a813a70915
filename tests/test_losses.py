"""Losses: the notes' L<t>, stable at saturated logits, masked."""
import numpy as np

from rnncore.losses import binary_cross_entropy, reduce, softmax_cross_entropy


def test_bce_matches_formula_and_is_stable():
    z = np.array([[[0.3], [-1.2]]])
    y = np.array([[[1.0], [0.0]]])
    yhat = 1 / (1 + np.exp(-z))
    expected = -(y * np.log(yhat) + (1 - y) * np.log(1 - yhat)).sum(-1)
    loss, dz = binary_cross_entropy(z, y)
    np.testing.assert_allclose(loss, expected)
    np.testing.assert_allclose(dz, yhat - y)
    big = np.array([[[1000.0], [-1000.0]]])
    loss, dz = binary_cross_entropy(big, np.array([[[0.0], [1.0]]]))
    np.testing.assert_allclose(loss, [[1000.0, 1000.0]])
    assert np.isfinite(dz).all()


def test_softmax_ce_is_stable():
    z = np.array([[[1000.0, 0.0, -1000.0]]])
    loss, dz = softmax_cross_entropy(z, np.array([[2]]))
    np.testing.assert_allclose(loss, [[2000.0]])
    np.testing.assert_allclose(dz, [[[1.0, 0.0, -1.0]]])


def test_mask_and_sum_over_time():
    elem = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])     # (T=3, N=2)
    dz = np.ones((3, 2, 1))
    mask = np.array([[1, 1], [1, 0], [0, 0]], float)
    L, per_step, per_example, d = reduce(elem, dz, mask, "sum")
    np.testing.assert_allclose(per_step, [1.5, 1.5, 0.0])
    assert L == 3.0 == per_step.sum()
    assert d[2].sum() == 0 and d[1, 1, 0] == 0
    L, per_step, _, _ = reduce(elem, dz, mask, "mean")
    assert L == (1 + 2 + 3) / 3
