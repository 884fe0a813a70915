"""The GRUs of the notes (§2.1, §2.2) and PyTorch's variant, on the cell protocol of
rnncore/cells/base.py (its docstring explains Buffers, Back, local and step_back)."""
from __future__ import annotations

import numpy as np

from .base import Cell, _masked, _one_minus, _sig_grad, _tanh_grad, all_steps, grad_product
from ..functional import pool


class GRUSimpleCell(Cell):
    """The notes' simplified GRU (§2.1), c<t> = a<t>:

    c̃<t> = tanh(W_c [c<t-1>, x<t>] + b_c);  Γu = σ(W_u [c<t-1>, x<t>] + b_u)
    c<t> = Γu * c̃<t> + (1 − Γu) * c<t-1>
    """
    gates = ("gamma_u", "c_tilde")
    n_sigmoid = 1

    def step(self, w, buf, t):
        H, z, a, a_prev = self.H, buf.Zc[t], buf.Ac[t], buf.Ac_prev[t]
        z += np.matmul(w["WhT"], a_prev, out=buf.S)
        np.tanh(z, out=z)
        u = z[:H]
        u *= 0.5
        u += 0.5                                 # Γu = σ
        np.subtract(z[H:], a_prev, out=a)        # c = c_prev + Γu (c̃ − c_prev)
        a *= u
        a += a_prev

    def local(self, buf, mask):
        H, Z = self.H, buf.Zc
        u, ct = Z[:, :H], Z[:, H:]
        P = pool.empty_like(Z)                   # [∂/∂Γu, ∂/∂c̃] of the pre-activations, per unit of ∂L/∂a
        pu, pc = P[:, :H], P[:, H:]
        np.subtract(ct, buf.Ac_prev, out=pu)     # ∂c/∂Γu = c̃ − c_prev
        pu *= _sig_grad(u, pc)
        _tanh_grad(ct, pc)                       # ∂c/∂c̃ = Γu, through tanh
        pc *= u
        return _masked(self.back(P, keep=_one_minus(u)), mask)

    def step_back(self, w, k, t, da, dc, dz):
        H, N = da.shape
        np.multiply(da, k.P[t].reshape(2, H, N), out=dz.reshape(2, H, N))
        np.matmul(w["Wh"], dz, out=k.da)
        k.da += np.multiply(da, k.keep[t], out=k.tmp)   # direct path: (1 − Γu)
        return k.da, None


class GRUCell(Cell):
    """The notes' full GRU (§2.2), relevance gate Γr applied before the product:

    Γr = σ(W_r [c<t-1>, x<t>] + b_r);  Γu = σ(W_u [c<t-1>, x<t>] + b_u)
    c̃<t> = tanh(W_c [Γr * c<t-1>, x<t>] + b_c)
    c<t> = Γu * c̃<t> + (1 − Γu) * c<t-1>

    ``Ec`` keeps Γr * c<t-1>, the recurrent input of the c̃ block. In backward,
    ``Q`` keeps σ'(Γr) * c<t-1>: ∂Γr-pre-activation per unit of ∂L/∂(Γr * c<t-1>).
    """
    gates = ("gamma_r", "gamma_u", "c_tilde")
    extra = True
    n_sigmoid = 2

    def bwd_weights(self, p):
        H = self.H
        return {"Wh_ru": np.ascontiguousarray(p["Wh"][:, :2 * H]), "Wh_c": np.ascontiguousarray(p["Wh"][:, 2 * H:])}

    def step(self, w, buf, t):
        H, z, a, rc, a_prev = self.H, buf.Zc[t], buf.Ac[t], buf.Ec[t], buf.Ac_prev[t]
        WhT, S = w["WhT"], buf.S
        zru = z[:2 * H]
        zru += np.matmul(WhT[:2 * H], a_prev, out=S[:2 * H])
        np.tanh(zru, out=zru)
        zru *= 0.5
        zru += 0.5                               # Γr, Γu = σ
        np.multiply(z[:H], a_prev, out=rc)       # Γr * c<t-1>
        ct = z[2 * H:]
        ct += np.matmul(WhT[2 * H:], rc, out=S[2 * H:])
        np.tanh(ct, out=ct)
        np.subtract(ct, a_prev, out=a)
        a *= z[H:2 * H]
        a += a_prev

    def local(self, buf, mask):
        H, Z, a_prev = self.H, buf.Zc, buf.Ac_prev
        r, u, ct = Z[:, :H], Z[:, H:2 * H], Z[:, 2 * H:]
        P = pool.empty_like(Z)                         # [Γr, ∂/∂Γu, ∂/∂c̃]: the last two per unit of ∂L/∂a
        pu, pc = P[:, H:2 * H], P[:, 2 * H:]
        np.copyto(P[:, :H], r)
        np.subtract(ct, a_prev, out=pu)                # ∂c/∂Γu = c̃ − c_prev
        pu *= _sig_grad(u, pc)
        _tanh_grad(ct, pc)                             # ∂c/∂c̃ = Γu, through tanh
        pc *= u
        Q = _sig_grad(r, pool.empty_like(a_prev))      # ∂(Γr * c_prev)/∂Γr = c_prev, through σ
        Q *= a_prev
        return _masked(self.back(P, keep=_one_minus(u), Q=Q), mask)

    def step_back(self, w, k, t, da, dc, dz):
        H, N = da.shape
        P = k.P[t]
        np.multiply(da, P[H:].reshape(2, H, N), out=dz[H:].reshape(2, H, N))
        drc = np.matmul(w["Wh_c"], dz[2 * H:], out=k.tmp)             # ∂L/∂(Γr * c<t-1>)
        np.multiply(drc, k.Q[t], out=dz[:H])
        np.matmul(w["Wh_ru"], dz[:2 * H], out=k.da)
        drc *= P[:H]                                                  # through Γr * c<t-1>
        k.da += drc
        k.da += np.multiply(da, k.keep[t], out=k.tmp)                 # direct path: (1 − Γu)
        return k.da, None

    def weight_grads(self, p, buf, k, dZc, flow, grads):
        H, gW = self.H, grads["Wh"]
        dZ = all_steps(dZc)
        grad_product(dZ[:2 * H], all_steps(buf.Ac_prev).T, gW[:, :2 * H])
        grad_product(dZ[2 * H:], all_steps(buf.Ec).T, gW[:, 2 * H:])
        return dZ


class GRUResetAfterCell(Cell):
    """PyTorch's GRU (Keras ``reset_after=True``): Γr multiplies after the product.

    c̃<t> = tanh(W_cx x<t> + b_c + Γr * (W_cc c<t-1> + b_cc))
    Other equations as in :class:`GRUCell`. PyTorch's z is the notes' 1 − Γu
    (``rnncore.naming`` does the mapping). ``Ec`` keeps W_cc c<t-1> + b_cc, and
    ``bhn`` is b_cc, the one bias that cannot be folded into ``b``.

    All three blocks of ``Whᵀ a<t-1>`` feed one step, so backward forms
    dR = [∂Γr, ∂Γu, ∂(W_cc c<t-1> + b_cc)] and ∂L/∂a<t-1> = Wh dR + (1 − Γu) da
    with one matrix product; ``Q`` keeps ∂c̃-pre-activation per unit of ∂L/∂a.
    """
    gates = ("gamma_r", "gamma_u", "c_tilde")
    extra = True
    n_sigmoid = 2

    def param_shapes(self, input_size):
        return {**super().param_shapes(input_size), "bhn": (self.H,)}

    def step(self, w, buf, t):
        H, z, a, hn, S, a_prev = self.H, buf.Zc[t], buf.Ac[t], buf.Ec[t], buf.S, buf.Ac_prev[t]
        np.matmul(w["WhT"], a_prev, out=S)
        zru = z[:2 * H]
        zru += S[:2 * H]
        np.tanh(zru, out=zru)
        zru *= 0.5
        zru += 0.5                               # Γr, Γu = σ
        np.add(S[2 * H:], w["bhn"], out=hn)
        ct = z[2 * H:]
        ct += np.multiply(z[:H], hn, out=S[2 * H:])
        np.tanh(ct, out=ct)
        np.subtract(ct, a_prev, out=a)
        a *= z[H:2 * H]
        a += a_prev

    def local(self, buf, mask):
        H, Z, a_prev = self.H, buf.Zc, buf.Ac_prev
        r, u, ct = Z[:, :H], Z[:, H:2 * H], Z[:, 2 * H:]
        Q = _tanh_grad(ct, pool.empty_like(a_prev))     # ∂c/∂c̃ = Γu, through tanh
        Q *= u
        P = pool.empty_like(Z)                          # dR per unit of ∂L/∂a
        pr, pu, ph = P[:, :H], P[:, H:2 * H], P[:, 2 * H:]
        np.multiply(Q, r, out=ph)                       # ∂c̃-pre/∂(W_cc c_prev + b_cc) = Γr
        _sig_grad(r, pr)                                # ∂c̃-pre/∂Γr = W_cc c_prev + b_cc, through σ
        pr *= buf.Ec
        pr *= Q
        np.subtract(ct, a_prev, out=pu)                 # ∂c/∂Γu = c̃ − c_prev, through σ
        pu *= u
        pu -= pu * u
        return _masked(self.back(P, keep=_one_minus(u), Q=Q), mask)

    def step_back(self, w, k, t, da, dc, dz):
        H, N = da.shape
        np.multiply(da, k.P[t].reshape(3, H, N), out=dz.reshape(3, H, N))
        np.matmul(w["Wh"], dz, out=k.da)
        k.da += np.multiply(da, k.keep[t], out=k.tmp)   # direct path: (1 − Γu)
        return k.da, None

    def weight_grads(self, p, buf, k, dZc, flow, grads):
        """dZc holds dR: Wh's gradient and b_cc's first, then its last block becomes ∂c̃-pre."""
        H = self.H
        T, _, N = dZc.shape
        dR = all_steps(dZc)
        grad_product(dR, all_steps(buf.Ac_prev).T, grads["Wh"])
        np.matmul(dR[2 * H:], np.ones(T * N, dR.dtype), out=grads["bhn"])
        np.multiply(flow, k.Q, out=dZc[:, 2 * H:])
        np.copyto(dR[2 * H:].reshape(H, T, N), dZc[:, 2 * H:].transpose(1, 0, 2))
        return dR
