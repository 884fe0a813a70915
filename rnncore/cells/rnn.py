"""The vanilla RNN cell (§1), on the protocol of rnncore/cells/base.py."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .base import Cell, mask_, scratch
from ..functional import activate_, activation_grad, pool


class RNNBack(NamedTuple):
    """What one backward pass multiplies by (all t; zero at padded steps), and scratch."""
    g_prime: np.ndarray     # (T, H, N) ∂a<t>/∂(pre-activation) = g'(·)
    da_prev: np.ndarray     # (H, N) ∂L/∂a<t-1>


class RNNCell(Cell):
    """a<t> = g(W_aa a<t-1> + W_ax x<t> + b_a)   (§1; g = tanh, sigmoid or relu).

    z and a share memory: the activation happens in place.
    """
    gates = ("a_pre",)

    def __init__(self, hidden_size: int, activation: str = "tanh"):
        super().__init__(hidden_size)
        self.activation = activation

    def alloc(self, T, N, dtype, reverse=False):
        f = super().alloc(T, N, dtype, reverse)
        f.z = f.a
        return f

    def step(self, w, f, t):
        z = f.z[t]
        z += np.matmul(w["WhT"], f.a_prev[t], out=f.scratch)
        activate_(self.activation, z)

    def local(self, f, mask):
        g_prime = activation_grad(self.activation, f.a, pool.empty_like(f.a))    # from a<t>
        mask_(mask, g_prime)
        return RNNBack(g_prime, *scratch(f, 1))

    def step_back(self, w, k, t, da, dc, dz):
        np.multiply(da, k.g_prime[t], out=dz)            # backprop through g
        return np.matmul(w["Wh"], dz, out=k.da_prev), None
