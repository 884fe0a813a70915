"""The LSTM (§2.3), on the protocol of rnncore/cells/base.py."""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .base import Buffers, Cell, blocks, mask_, scratch, sig_grad, tanh_grad
from ..functional import pool


@dataclass(kw_only=True, eq=False)
class LSTMCache(Buffers):
    gu: np.ndarray          # (T, H, N) Γu<t>, a view of z (as are the next three)
    gf: np.ndarray          # Γf<t>
    go: np.ndarray          # Γo<t>
    c_tilde: np.ndarray     # c̃<t>
    tanh_c: np.ndarray      # (T, H, N) tanh(c<t>)


class LSTMBack(NamedTuple):
    """What one backward pass multiplies by (all t; zero at padded steps), and scratch."""
    dgates: np.ndarray      # (T, 4H, N) per gate, ∂c<t>/∂ its pre-activation (Γu, Γf, c̃); Γo's block: d_go
    d_go: np.ndarray        # (T, H, N) ∂a<t>/∂ Γo's pre-activation = σ'(·) tanh(c<t>) (a view of dgates)
    da_dc: np.ndarray       # (T, H, N) ∂a<t>/∂c<t> = Γo tanh'(c<t>)
    dc_dc_prev: np.ndarray  # (T, H, N) ∂c<t>/∂c<t-1> = Γf (1 at padded steps: c passes unchanged)
    dc: np.ndarray          # (H, N) ∂L/∂c<t>
    dc_prev: np.ndarray     # (H, N) ∂L/∂c<t-1>
    da_prev: np.ndarray     # (H, N) ∂L/∂a<t-1>


class LSTMCell(Cell):
    """LSTM (§2.3) with update (input), forget and output gates:

    c̃<t> = tanh(W_c [a<t-1>, x<t>] + b_c)
    Γu = σ(W_u [a<t-1>, x<t>] + b_u);  Γf = σ(W_f ...);  Γo = σ(W_o ...)
    c<t> = Γu * c̃<t> + Γf * c<t-1>
    a<t> = Γo * tanh(c<t>)

    The notes write a<t> = Γo * c<t>; the standard LSTM (and the lecture the
    notes follow, and PyTorch) applies tanh to c<t>, as here.
    """
    gates = ("gamma_u", "gamma_f", "gamma_o", "c_tilde")
    has_c = True
    n_sigmoid = 3

    def alloc(self, T, N, dtype, reverse=False):
        kw = self._alloc(T, N, dtype, reverse)
        gu, gf, go, c_tilde = blocks(kw["z"], self.H)
        return LSTMCache(**kw, gu=gu, gf=gf, go=go, c_tilde=c_tilde, tanh_c=pool.empty((T, self.H, N), dtype))

    def step(self, w, f, t):
        H, z, S, c, tanh_c = self.H, f.z[t], f.scratch, f.c[t], f.tanh_c[t]
        z += np.matmul(w["WhT"], f.a_prev[t], out=S)
        np.tanh(z, out=z)
        g = z[:3 * H]
        g *= 0.5
        g += 0.5                                         # Γu, Γf, Γo = σ
        np.multiply(f.gf[t], f.c_prev[t], out=c)         # c<t> = Γf * c<t-1>
        c += np.multiply(f.gu[t], f.c_tilde[t], out=S[:H])   # + Γu * c̃<t>
        np.tanh(c, out=tanh_c)
        np.multiply(f.go[t], tanh_c, out=f.a[t])         # a<t> = Γo * tanh(c<t>)

    def local(self, f, mask):
        H = self.H
        dgates = pool.empty_like(f.z)
        d_gu, d_gf, d_go, d_ct = blocks(dgates, H)
        sig_grad(f.z[:, :3 * H], dgates[:, :3 * H])       # σ' of Γu, Γf, Γo
        d_gu *= f.c_tilde                                # ∂c/∂Γu = c̃
        d_gf *= f.c_prev                                 # ∂c/∂Γf = c<t-1>
        d_go *= f.tanh_c                                 # ∂a/∂Γo = tanh(c)
        tanh_grad(f.c_tilde, d_ct)                       # ∂c/∂c̃ = Γu, through tanh
        d_ct *= f.gu
        da_dc = tanh_grad(f.tanh_c, pool.empty_like(f.tanh_c))   # ∂a/∂c = Γo, through tanh
        da_dc *= f.go
        dc_dc_prev = f.gf
        if mask is not None:
            dc_dc_prev = pool.empty_like(f.gf)
            np.copyto(dc_dc_prev, f.gf)
            mask_(mask, dgates, da_dc, dc_dc_prev)
            dc_dc_prev += 1 - mask                       # c passes padded steps unchanged
        return LSTMBack(dgates, d_go, da_dc, dc_dc_prev, *scratch(f, 3))

    def step_back(self, w, k, t, da, dc, dz):
        H, N = da.shape
        dct = np.multiply(da, k.da_dc[t], out=k.dc)      # ∂L/∂c<t>: from a<t> ...
        dct += dc                                        # ... and from c<t+1>
        np.multiply(dct, k.dgates[t].reshape(4, H, N), out=dz.reshape(4, H, N))
        np.multiply(da, k.d_go[t], out=dz[2 * H:3 * H])  # Γo: from a<t>
        np.multiply(dct, k.dc_dc_prev[t], out=k.dc_prev)
        return np.matmul(w["Wh"], dz, out=k.da_prev), k.dc_prev
