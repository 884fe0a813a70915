"""Per-timestep losses. Each returns the elementwise loss (T, N) and ∂/∂logits.

Masks and the reduction to L = Σ_t L<t> live in :func:`reduce`, so every loss
keeps the notes' per-timestep L<t>, not only their sum.
"""
from __future__ import annotations

import numpy as np

from .functional import log_softmax, sigmoid_, softplus


def binary_cross_entropy(z, y):
    """L<t> = −y log ŷ − (1 − y) log(1 − ŷ), ŷ = σ(z), from logits (stable).

    z, y: (T, N, O). Summed over the O outputs. ∂L/∂z = ŷ − y.
    """
    loss = (softplus(z) - y * z).sum(axis=-1)
    return loss, sigmoid_(z.copy()) - y


def softmax_cross_entropy(z, y):
    """L<t> = −log softmax(z)[y]. z: (T, N, O) logits, y: (T, N) class ids."""
    logp = log_softmax(z)
    loss = -np.take_along_axis(logp, y[..., None], axis=-1)[..., 0]
    dz = np.exp(logp)
    np.put_along_axis(dz, y[..., None], np.take_along_axis(dz, y[..., None], axis=-1) - 1, axis=-1)
    return loss, dz


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
