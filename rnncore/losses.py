"""Per-timestep losses. Each returns the elementwise loss (T, N) and ∂/∂logits.

Masks and the reduction to L = Σ_t L<t> live in :func:`reduce`, so every loss
keeps the notes' per-timestep L<t>, not only their sum.
"""
from __future__ import annotations

import numpy as np

from .functional import sigmoid_, softplus


def binary_cross_entropy(z, y):
    """L<t> = −y log ŷ − (1 − y) log(1 − ŷ), ŷ = σ(z), from logits (stable).

    z, y: (T, N, O). Summed over the O outputs. ∂L/∂z = ŷ − y.
    """
    loss = (softplus(z) - y * z).sum(axis=-1)
    return loss, sigmoid_(z.copy()) - y


def softmax_cross_entropy(z, y):
    """L<t> = −log softmax(z)[y]. z: (T, N, O) logits, y: (T, N) class ids.

    The max is subtracted before exp (no overflow); ∂L/∂z = softmax(z) − onehot(y).
    """
    m = z.max(axis=-1, keepdims=True)
    p = np.exp(z - m)
    s = p.sum(axis=-1, keepdims=True)
    p /= s
    rows = np.arange(y.size), y.reshape(-1)
    z_y = z.reshape(-1, z.shape[-1])[rows].reshape(y.shape)
    loss = np.log(s[..., 0]) - (z_y - m[..., 0])
    p.reshape(-1, p.shape[-1])[rows] -= 1
    return loss, p


def squared_error(z, y):
    """L<t> = Σ_o (ŷ − y)², ŷ = z (linear output, e.g. the adding problem)."""
    diff = z - y
    return (diff * diff).sum(axis=-1), 2 * diff


LOSSES = {"sigmoid": binary_cross_entropy, "softmax": softmax_cross_entropy, "linear": squared_error}


def reduce(elem, dz, mask, reduction):
    """Apply the mask and reduce: returns (L, L<t> (T,), L<t>(i) (T, N), ∂L/∂z).

    reduction 'sum': L = Σ_t L<t> with L<t> averaged over the batch (the notes);
    'mean': every valid step of every sequence weighs the same. Either way
    L = Σ_t L<t>.
    """
    N = elem.shape[1]
    if mask is None:
        per_example = elem
        denom = float(N if reduction == "sum" else elem.size)
        scale = 1.0 / denom
        dz = dz * scale
    else:
        per_example = elem * mask
        denom = float(N if reduction == "sum" else max(mask.sum(), 1.0))
        dz = dz * (mask / denom)[..., None]
    per_step = per_example.sum(axis=1) / denom
    return float(per_step.sum()), per_step, per_example, dz
