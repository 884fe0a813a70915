"""The GRUs of the notes (§2.1, §2.2) and PyTorch's variant, on the cell protocol of
rnncore/cells/base.py (its docstring explains the caches, local and step_back).
For GRUs the memory cell is the state, c<t> = a<t>: ``a`` and ``a_prev`` hold c<t>, c<t-1>."""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .base import Buffers, Cell, all_steps, blocks, grad_product, mask_, one_minus, scratch, sig_grad, tanh_grad
from ..functional import pool


@dataclass(kw_only=True, eq=False)
class GRUSimpleCache(Buffers):
    gu: np.ndarray          # (T, H, N) Γu<t>, a view of z (as is the next)
    c_tilde: np.ndarray     # c̃<t>


class GRUSimpleBack(NamedTuple):
    """What one backward pass multiplies by (all t; zero at padded steps), and scratch."""
    dgates: np.ndarray        # (T, 2H, N) ∂c<t>/∂ the pre-activations of Γu and c̃
    one_minus_gu: np.ndarray  # (T, H, N) ∂c<t>/∂c<t-1> along the direct path, 1 − Γu
    da_prev: np.ndarray       # (H, N) ∂L/∂a<t-1>
    tmp: np.ndarray           # (H, N)


class GRUSimpleCell(Cell):
    """The notes' simplified GRU (§2.1), c<t> = a<t>:

    c̃<t> = tanh(W_c [c<t-1>, x<t>] + b_c);  Γu = σ(W_u [c<t-1>, x<t>] + b_u)
    c<t> = Γu * c̃<t> + (1 − Γu) * c<t-1>
    """
    gates = ("gamma_u", "c_tilde")
    n_sigmoid = 1

    def alloc(self, T, N, dtype, reverse=False):
        kw = self._alloc(T, N, dtype, reverse)
        gu, c_tilde = blocks(kw["z"], self.H)
        return GRUSimpleCache(**kw, gu=gu, c_tilde=c_tilde)

    def step(self, w, f, t):
        z, c, c_prev = f.z[t], f.a[t], f.a_prev[t]
        z += np.matmul(w["WhT"], c_prev, out=f.scratch)
        np.tanh(z, out=z)
        gu = f.gu[t]
        gu *= 0.5
        gu += 0.5                                        # Γu = σ
        np.subtract(f.c_tilde[t], c_prev, out=c)         # c<t> = c<t-1> + Γu (c̃<t> − c<t-1>)
        c *= gu
        c += c_prev

    def local(self, f, mask):
        dgates = pool.empty_like(f.z)
        d_gu, d_ct = blocks(dgates, self.H)
        np.subtract(f.c_tilde, f.a_prev, out=d_gu)       # ∂c/∂Γu = c̃ − c<t-1>, through σ
        d_gu *= sig_grad(f.gu, d_ct)
        tanh_grad(f.c_tilde, d_ct)                       # ∂c/∂c̃ = Γu, through tanh
        d_ct *= f.gu
        one_minus_gu = one_minus(f.gu)
        mask_(mask, dgates, one_minus_gu)
        return GRUSimpleBack(dgates, one_minus_gu, *scratch(f, 2))

    def step_back(self, w, k, t, da, dc, dz):
        H, N = da.shape
        np.multiply(da, k.dgates[t].reshape(2, H, N), out=dz.reshape(2, H, N))
        da_prev = np.matmul(w["Wh"], dz, out=k.da_prev)
        da_prev += np.multiply(da, k.one_minus_gu[t], out=k.tmp)     # direct path
        return da_prev, None


@dataclass(kw_only=True, eq=False)
class GRUCache(Buffers):
    gr: np.ndarray          # (T, H, N) Γr<t>, a view of z (as are the next two)
    gu: np.ndarray          # Γu<t>
    c_tilde: np.ndarray     # c̃<t>
    gr_c_prev: np.ndarray   # (T, H, N) Γr * c<t-1>, what W_cc multiplies


class GRUBack(NamedTuple):
    """What one backward pass multiplies by (all t; zero at padded steps), and scratch."""
    dgates_uc: np.ndarray     # (T, 2H, N) ∂c<t>/∂ the pre-activations of Γu and c̃
    gr: np.ndarray            # (T, H, N) Γr = ∂(Γr * c<t-1>)/∂c<t-1> (the forward's, unmasked: what it
                              #   multiplies is zero at padded steps)
    d_gr: np.ndarray          # (T, H, N) ∂(Γr * c<t-1>)/∂ Γr's pre-activation = σ'(·) c<t-1>
    one_minus_gu: np.ndarray  # (T, H, N) ∂c<t>/∂c<t-1> along the direct path, 1 − Γu
    da_prev: np.ndarray       # (H, N) ∂L/∂a<t-1>
    tmp: np.ndarray           # (H, N)


class GRUCell(Cell):
    """The notes' full GRU (§2.2), relevance gate Γr applied before the product:

    Γr = σ(W_r [c<t-1>, x<t>] + b_r);  Γu = σ(W_u [c<t-1>, x<t>] + b_u)
    c̃<t> = tanh(W_c [Γr * c<t-1>, x<t>] + b_c)
    c<t> = Γu * c̃<t> + (1 − Γu) * c<t-1>
    """
    gates = ("gamma_r", "gamma_u", "c_tilde")
    n_sigmoid = 2

    def alloc(self, T, N, dtype, reverse=False):
        kw = self._alloc(T, N, dtype, reverse)
        gr, gu, c_tilde = blocks(kw["z"], self.H)
        return GRUCache(**kw, gr=gr, gu=gu, c_tilde=c_tilde, gr_c_prev=pool.empty((T, self.H, N), dtype))

    def bwd_weights(self, p):
        H = self.H
        return {"Wh_ru": np.ascontiguousarray(p["Wh"][:, :2 * H]), "Wh_c": np.ascontiguousarray(p["Wh"][:, 2 * H:])}

    def step(self, w, f, t):
        H, z, c, c_prev, S, WhT = self.H, f.z[t], f.a[t], f.a_prev[t], f.scratch, w["WhT"]
        zru = z[:2 * H]
        zru += np.matmul(WhT[:2 * H], c_prev, out=S[:2 * H])
        np.tanh(zru, out=zru)
        zru *= 0.5
        zru += 0.5                                       # Γr, Γu = σ
        rc = np.multiply(f.gr[t], c_prev, out=f.gr_c_prev[t])     # Γr * c<t-1>
        ct = f.c_tilde[t]
        ct += np.matmul(WhT[2 * H:], rc, out=S[2 * H:])
        np.tanh(ct, out=ct)
        np.subtract(ct, c_prev, out=c)                   # c<t> = c<t-1> + Γu (c̃<t> − c<t-1>)
        c *= f.gu[t]
        c += c_prev

    def local(self, f, mask):
        dgates_uc = pool.empty_like(f.z[:, self.H:])
        d_gu, d_ct = blocks(dgates_uc, self.H)
        np.subtract(f.c_tilde, f.a_prev, out=d_gu)       # ∂c/∂Γu = c̃ − c<t-1>, through σ
        d_gu *= sig_grad(f.gu, d_ct)
        tanh_grad(f.c_tilde, d_ct)                       # ∂c/∂c̃ = Γu, through tanh
        d_ct *= f.gu
        d_gr = sig_grad(f.gr, pool.empty_like(f.a_prev))  # ∂(Γr * c<t-1>)/∂Γr = c<t-1>, through σ
        d_gr *= f.a_prev
        one_minus_gu = one_minus(f.gu)
        mask_(mask, dgates_uc, d_gr, one_minus_gu)
        return GRUBack(dgates_uc, f.gr, d_gr, one_minus_gu, *scratch(f, 2))

    def step_back(self, w, k, t, da, dc, dz):
        H, N = da.shape
        np.multiply(da, k.dgates_uc[t].reshape(2, H, N), out=dz[H:].reshape(2, H, N))
        drc = np.matmul(w["Wh_c"], dz[2 * H:], out=k.tmp)            # ∂L/∂(Γr * c<t-1>)
        np.multiply(drc, k.d_gr[t], out=dz[:H])
        da_prev = np.matmul(w["Wh_ru"], dz[:2 * H], out=k.da_prev)
        drc *= k.gr[t]                                                # through Γr * c<t-1>
        da_prev += drc
        da_prev += np.multiply(da, k.one_minus_gu[t], out=k.tmp)      # direct path
        return da_prev, None

    def weight_grads(self, p, f, k, dz, flow, grads):
        H, gW = self.H, grads["Wh"]
        dZ = all_steps(dz)
        grad_product(dZ[:2 * H], all_steps(f.a_prev).T, gW[:, :2 * H])
        grad_product(dZ[2 * H:], all_steps(f.gr_c_prev).T, gW[:, 2 * H:])
        return dZ


@dataclass(kw_only=True, eq=False)
class GRUResetAfterCache(Buffers):
    gr: np.ndarray          # (T, H, N) Γr<t>, a view of z (as are the next two)
    gu: np.ndarray          # Γu<t>
    c_tilde: np.ndarray     # c̃<t>
    Wc_c_prev: np.ndarray   # (T, H, N) W_cc c<t-1> + b_cc, what Γr multiplies


class GRUResetAfterBack(NamedTuple):
    """What one backward pass multiplies by (all t; zero at padded steps), and scratch."""
    dgates: np.ndarray        # (T, 3H, N) ∂c<t>/∂ the pre-activations of Γr and Γu, and ∂c<t>/∂(W_cc c<t-1> + b_cc)
    d_ct: np.ndarray          # (T, H, N) ∂c<t>/∂ c̃'s pre-activation = Γu tanh'(·)
    one_minus_gu: np.ndarray  # (T, H, N) ∂c<t>/∂c<t-1> along the direct path, 1 − Γu
    da_prev: np.ndarray       # (H, N) ∂L/∂a<t-1>
    tmp: np.ndarray           # (H, N)


class GRUResetAfterCell(Cell):
    """PyTorch's GRU (Keras ``reset_after=True``): Γr multiplies after the product.

    c̃<t> = tanh(W_cx x<t> + b_c + Γr * (W_cc c<t-1> + b_cc))
    Other equations as in :class:`GRUCell`. PyTorch's z is the notes' 1 − Γu
    (``rnncore.naming`` does the mapping); ``bhn`` is b_cc, the one bias that
    cannot be folded into ``b``.

    All three blocks of ``Whᵀ c<t-1>`` feed one step, so backward forms
    dR = [∂Γr, ∂Γu, ∂(W_cc c<t-1> + b_cc)] and ∂L/∂c<t-1> = Wh dR + (1 − Γu) da
    with one matrix product.
    """
    gates = ("gamma_r", "gamma_u", "c_tilde")
    n_sigmoid = 2

    def param_shapes(self, input_size):
        return {**super().param_shapes(input_size), "bhn": (self.H,)}

    def alloc(self, T, N, dtype, reverse=False):
        kw = self._alloc(T, N, dtype, reverse)
        gr, gu, c_tilde = blocks(kw["z"], self.H)
        return GRUResetAfterCache(**kw, gr=gr, gu=gu, c_tilde=c_tilde, Wc_c_prev=pool.empty((T, self.H, N), dtype))

    def step(self, w, f, t):
        H, z, c, c_prev, S = self.H, f.z[t], f.a[t], f.a_prev[t], f.scratch
        np.matmul(w["WhT"], c_prev, out=S)
        zru = z[:2 * H]
        zru += S[:2 * H]
        np.tanh(zru, out=zru)
        zru *= 0.5
        zru += 0.5                                       # Γr, Γu = σ
        hn = np.add(S[2 * H:], w["bhn"], out=f.Wc_c_prev[t])     # W_cc c<t-1> + b_cc
        ct = f.c_tilde[t]
        ct += np.multiply(f.gr[t], hn, out=S[2 * H:])
        np.tanh(ct, out=ct)
        np.subtract(ct, c_prev, out=c)                   # c<t> = c<t-1> + Γu (c̃<t> − c<t-1>)
        c *= f.gu[t]
        c += c_prev

    def local(self, f, mask):
        d_ct = tanh_grad(f.c_tilde, pool.empty_like(f.a_prev))     # ∂c/∂c̃ = Γu, through tanh
        d_ct *= f.gu
        dgates = pool.empty_like(f.z)
        d_gr, d_gu, d_hn = blocks(dgates, self.H)
        np.multiply(d_ct, f.gr, out=d_hn)                # ∂c̃-pre/∂(W_cc c<t-1> + b_cc) = Γr
        sig_grad(f.gr, d_gr)                             # ∂c̃-pre/∂Γr = W_cc c<t-1> + b_cc, through σ
        d_gr *= f.Wc_c_prev
        d_gr *= d_ct
        np.subtract(f.c_tilde, f.a_prev, out=d_gu)       # ∂c/∂Γu = c̃ − c<t-1>, through σ
        d_gu *= f.gu
        d_gu -= d_gu * f.gu
        one_minus_gu = one_minus(f.gu)
        mask_(mask, dgates, d_ct, one_minus_gu)
        return GRUResetAfterBack(dgates, d_ct, one_minus_gu, *scratch(f, 2))

    def step_back(self, w, k, t, da, dc, dz):
        H, N = da.shape
        np.multiply(da, k.dgates[t].reshape(3, H, N), out=dz.reshape(3, H, N))
        da_prev = np.matmul(w["Wh"], dz, out=k.da_prev)
        da_prev += np.multiply(da, k.one_minus_gu[t], out=k.tmp)     # direct path
        return da_prev, None

    def weight_grads(self, p, f, k, dz, flow, grads):
        """dz holds dR: Wh's gradient and b_cc's first, then its last block becomes ∂c̃-pre."""
        H = self.H
        T, _, N = dz.shape
        dR = all_steps(dz)
        grad_product(dR, all_steps(f.a_prev).T, grads["Wh"])
        np.matmul(dR[2 * H:], np.ones(T * N, dR.dtype), out=grads["bhn"])
        np.multiply(flow, k.d_ct, out=dz[:, 2 * H:])
        np.copyto(dR[2 * H:].reshape(H, T, N), dz[:, 2 * H:].transpose(1, 0, 2))
        return dR
