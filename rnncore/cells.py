"""Recurrent cells with the notes' equations (§1, §2 of seed/DIGEST.md).

A cell holds no arrays: parameters live in a dict the model owns, and every
intermediate of a pass lives in a :class:`Buffers` that the caller owns, so a
second forward pass (a probe sentence) never disturbs a pending backward pass.

Gates are stacked along the last axis: one time step is one matrix product
``a<t-1> @ Wh`` (shape (N, G·H)) added to the input projection ``x<t> @ Wx + b``,
which the layer computes for every t at once. Blocks are H wide, in the order
given by ``Cell.gates`` (``rnncore.naming`` maps the keys to the notes' symbols).

Shapes: N batch, H hidden units, G gate blocks, T time steps.

``step(p, buf, t, a_prev, c_prev)``
    expects ``buf.Z[t]`` to hold the input projection; leaves the activated
    gates there, the new a<t> in ``buf.A[t]`` (and c<t> in ``buf.C[t]``).
``step_back(p, buf, t, a_prev, c_prev, da, dc, dz)``
    da, dc: ∂L/∂a<t>, ∂L/∂c<t> (total, from above and from the future);
    writes ∂L/∂(pre-activation) into dz (N, G·H) and returns
    (∂L/∂a<t-1>, ∂L/∂c<t-1>).
``weight_grads(p, buf, a_prevs, dZ, grads)``
    the recurrent weight gradients for all steps in one product.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .functional import activate_, activation_grad_, sigmoid_


@dataclass
class Buffers:
    """Everything one pass of one layer direction computes, time-major."""
    Z: np.ndarray              # (T, N, G·H) activated gates (the projection on entry)
    A: np.ndarray              # (T, N, H) a<t>
    C: np.ndarray | None       # (T, N, H) c<t> (LSTM); for GRUs c<t> = a<t>
    E: np.ndarray | None       # (T, N, H) cell-specific extra (see each cell)
    S: np.ndarray              # (N, G·H) scratch
    DH: np.ndarray | None = None  # (T, N, H) backward scratch of the reset-after GRU


class Cell:
    gates: tuple[str, ...] = ()   # keys of the blocks of Z, in order
    has_c = False                 # a separate memory cell c (LSTM)
    extra = False                 # needs Buffers.E

    def __init__(self, hidden_size: int):
        self.H = hidden_size

    @property
    def G(self) -> int:
        return len(self.gates)

    def param_shapes(self, input_size: int) -> dict[str, tuple[int, ...]]:
        gh = self.G * self.H
        return {"Wx": (input_size, gh), "Wh": (self.H, gh), "b": (gh,)}

    def alloc(self, T: int, N: int, dtype) -> Buffers:
        H, gh = self.H, self.G * self.H
        return Buffers(
            Z=np.empty((T, N, gh), dtype),
            A=np.empty((T, N, H), dtype),
            C=np.empty((T, N, H), dtype) if self.has_c else None,
            E=np.empty((T, N, H), dtype) if self.extra else None,
            S=np.empty((N, gh), dtype),
        )

    def weight_grads(self, p, buf, a_prevs, dZ, grads):
        """∂L/∂Wh = Σ_t a<t-1>ᵀ dz<t>, as one product over all steps."""
        gh = dZ.shape[-1]
        np.matmul(a_prevs.reshape(-1, self.H).T, dZ.reshape(-1, gh), out=grads["Wh"])


class RNNCell(Cell):
    """a<t> = g(W_aa a<t-1> + W_ax x<t> + b_a)   (§1; g = tanh, sigmoid or relu)."""
    gates = ("a_pre",)

    def __init__(self, hidden_size: int, activation: str = "tanh"):
        super().__init__(hidden_size)
        self.activation = activation

    def step(self, p, buf, t, a_prev, c_prev):
        z = buf.Z[t]
        z += np.matmul(a_prev, p["Wh"], out=buf.S)
        activate_(self.activation, z)
        np.copyto(buf.A[t], z)

    def step_back(self, p, buf, t, a_prev, c_prev, da, dc, dz):
        activation_grad_(self.activation, buf.Z[t], da, out=dz)   # backprop through g
        return dz @ p["Wh"].T, None


class GRUSimpleCell(Cell):
    """The notes' simplified GRU (§2.1), c<t> = a<t>:

    c̃<t> = tanh(W_c [c<t-1>, x<t>] + b_c);  Γu = σ(W_u [c<t-1>, x<t>] + b_u)
    c<t> = Γu * c̃<t> + (1 − Γu) * c<t-1>
    """
    gates = ("gamma_u", "c_tilde")

    def step(self, p, buf, t, a_prev, c_prev):
        H, z, a = self.H, buf.Z[t], buf.A[t]
        z += np.matmul(a_prev, p["Wh"], out=buf.S)
        u, ct = z[:, :H], z[:, H:]
        sigmoid_(u)
        np.tanh(ct, out=ct)
        np.subtract(ct, a_prev, out=a)          # c = c_prev + Γu (c̃ − c_prev)
        a *= u
        a += a_prev

    def step_back(self, p, buf, t, a_prev, c_prev, da, dc, dz):
        H, z = self.H, buf.Z[t]
        u, ct = z[:, :H], z[:, H:]
        du, dct = dz[:, :H], dz[:, H:]
        np.subtract(ct, a_prev, out=du)         # ∂c/∂Γu = c̃ − c_prev
        du *= da
        np.multiply(da, u, out=dct)             # ∂c/∂c̃ = Γu
        da_prev = da - dct                      # direct path: (1 − Γu)
        _sigmoid_back(u, du)
        _tanh_back(ct, dct)
        da_prev += dz @ p["Wh"].T
        return da_prev, None


class GRUCell(Cell):
    """The notes' full GRU (§2.2), relevance gate Γr applied before the product:

    Γr = σ(W_r [c<t-1>, x<t>] + b_r);  Γu = σ(W_u [c<t-1>, x<t>] + b_u)
    c̃<t> = tanh(W_c [Γr * c<t-1>, x<t>] + b_c)
    c<t> = Γu * c̃<t> + (1 − Γu) * c<t-1>

    ``E`` keeps Γr * c<t-1>, the recurrent input of the c̃ block.
    """
    gates = ("gamma_r", "gamma_u", "c_tilde")
    extra = True

    def step(self, p, buf, t, a_prev, c_prev):
        H, z, a, rc = self.H, buf.Z[t], buf.A[t], buf.E[t]
        Wh, S = p["Wh"], buf.S
        zru = z[:, :2 * H]
        zru += np.matmul(a_prev, Wh[:, :2 * H], out=S[:, :2 * H])
        sigmoid_(zru)
        np.multiply(z[:, :H], a_prev, out=rc)   # Γr * c<t-1>
        ct = z[:, 2 * H:]
        ct += np.matmul(rc, Wh[:, 2 * H:], out=S[:, 2 * H:])
        np.tanh(ct, out=ct)
        u = z[:, H:2 * H]
        np.subtract(ct, a_prev, out=a)
        a *= u
        a += a_prev

    def step_back(self, p, buf, t, a_prev, c_prev, da, dc, dz):
        H, z, Wh = self.H, buf.Z[t], p["Wh"]
        r, u, ct = z[:, :H], z[:, H:2 * H], z[:, 2 * H:]
        dr, du, dct = dz[:, :H], dz[:, H:2 * H], dz[:, 2 * H:]
        np.subtract(ct, a_prev, out=du)
        du *= da
        np.multiply(da, u, out=dct)
        da_prev = da - dct
        _tanh_back(ct, dct)
        drc = dct @ Wh[:, 2 * H:].T             # ∂L/∂(Γr * c<t-1>)
        np.multiply(drc, a_prev, out=dr)
        drc *= r
        da_prev += drc
        _sigmoid_back(u, du)
        _sigmoid_back(r, dr)
        da_prev += dz[:, :2 * H] @ Wh[:, :2 * H].T
        return da_prev, None

    def weight_grads(self, p, buf, a_prevs, dZ, grads):
        H, gW = self.H, grads["Wh"]
        T, N = dZ.shape[:2]
        dZ2 = dZ.reshape(T * N, -1)
        gW[:, :2 * H] = a_prevs.reshape(-1, H).T @ dZ2[:, :2 * H]
        gW[:, 2 * H:] = buf.E.reshape(-1, H).T @ dZ2[:, 2 * H:]


class GRUResetAfterCell(Cell):
    """PyTorch's GRU (Keras ``reset_after=True``): Γr multiplies after the product.

    c̃<t> = tanh(W_cx x<t> + b_c + Γr * (W_cc c<t-1> + b_cc))
    Other equations as in :class:`GRUCell`. PyTorch's z is the notes' 1 − Γu
    (``rnncore.naming`` does the mapping). ``E`` keeps W_cc c<t-1> + b_cc, and
    ``bhn`` is b_cc, the one bias that cannot be folded into ``b``.
    """
    gates = ("gamma_r", "gamma_u", "c_tilde")
    extra = True

    def param_shapes(self, input_size):
        return {**super().param_shapes(input_size), "bhn": (self.H,)}

    def alloc(self, T, N, dtype):
        buf = super().alloc(T, N, dtype)
        buf.DH = np.empty((T, N, self.H), dtype)
        return buf

    def step(self, p, buf, t, a_prev, c_prev):
        H, z, a, hn, S = self.H, buf.Z[t], buf.A[t], buf.E[t], buf.S
        np.matmul(a_prev, p["Wh"], out=S)
        zru = z[:, :2 * H]
        zru += S[:, :2 * H]
        sigmoid_(zru)
        np.add(S[:, 2 * H:], p["bhn"], out=hn)
        ct = z[:, 2 * H:]
        np.multiply(z[:, :H], hn, out=S[:, 2 * H:])
        ct += S[:, 2 * H:]
        np.tanh(ct, out=ct)
        np.subtract(ct, a_prev, out=a)
        a *= z[:, H:2 * H]
        a += a_prev

    def step_back(self, p, buf, t, a_prev, c_prev, da, dc, dz):
        H, z, Wh = self.H, buf.Z[t], p["Wh"]
        r, u, ct = z[:, :H], z[:, H:2 * H], z[:, 2 * H:]
        dr, du, dct = dz[:, :H], dz[:, H:2 * H], dz[:, 2 * H:]
        np.subtract(ct, a_prev, out=du)
        du *= da
        np.multiply(da, u, out=dct)
        da_prev = da - dct
        _tanh_back(ct, dct)
        np.multiply(dct, buf.E[t], out=dr)
        dhn = dct * r                           # ∂L/∂(W_cc c<t-1> + b_cc)
        buf.DH[t] = dhn
        _sigmoid_back(u, du)
        _sigmoid_back(r, dr)
        da_prev += dz[:, :2 * H] @ Wh[:, :2 * H].T
        da_prev += dhn @ Wh[:, 2 * H:].T
        return da_prev, None

    def weight_grads(self, p, buf, a_prevs, dZ, grads):
        H, gW = self.H, grads["Wh"]
        T, N = dZ.shape[:2]
        ap = a_prevs.reshape(-1, H).T
        gW[:, :2 * H] = ap @ dZ.reshape(T * N, -1)[:, :2 * H]
        dhn = buf.DH.reshape(T * N, H)
        gW[:, 2 * H:] = ap @ dhn
        grads["bhn"][...] = dhn.sum(axis=0)


class LSTMCell(Cell):
    """LSTM (§2.3) with update (input), forget and output gates:

    c̃<t> = tanh(W_c [a<t-1>, x<t>] + b_c)
    Γu = σ(W_u [a<t-1>, x<t>] + b_u);  Γf = σ(W_f ...);  Γo = σ(W_o ...)
    c<t> = Γu * c̃<t> + Γf * c<t-1>
    a<t> = Γo * tanh(c<t>)

    The notes write a<t> = Γo * c<t>; the standard LSTM (and the lecture the
    notes follow, and PyTorch) applies tanh to c<t>, as here. ``E`` keeps tanh(c<t>).
    """
    gates = ("gamma_u", "gamma_f", "gamma_o", "c_tilde")
    has_c = True
    extra = True

    def step(self, p, buf, t, a_prev, c_prev):
        H, z, S = self.H, buf.Z[t], buf.S
        z += np.matmul(a_prev, p["Wh"], out=S)
        sigmoid_(z[:, :3 * H])
        ct = z[:, 3 * H:]
        np.tanh(ct, out=ct)
        c, tc = buf.C[t], buf.E[t]
        np.multiply(z[:, H:2 * H], c_prev, out=c)      # Γf * c<t-1>
        c += np.multiply(z[:, :H], ct, out=S[:, :H])   # + Γu * c̃
        np.tanh(c, out=tc)
        np.multiply(z[:, 2 * H:3 * H], tc, out=buf.A[t])

    def step_back(self, p, buf, t, a_prev, c_prev, da, dc, dz):
        H, z, tc = self.H, buf.Z[t], buf.E[t]
        u, f, o, ct = z[:, :H], z[:, H:2 * H], z[:, 2 * H:3 * H], z[:, 3 * H:]
        du, df, do, dct = dz[:, :H], dz[:, H:2 * H], dz[:, 2 * H:3 * H], dz[:, 3 * H:]
        np.multiply(da, tc, out=do)                     # ∂a/∂Γo = tanh(c)
        dc_tot = tc * tc                                # backprop through tanh(c)
        np.subtract(1, dc_tot, out=dc_tot)
        dc_tot *= o
        dc_tot *= da
        if dc is not None:
            dc_tot += dc
        np.multiply(dc_tot, ct, out=du)
        np.multiply(dc_tot, c_prev, out=df)
        np.multiply(dc_tot, u, out=dct)
        dc_tot *= f                                     # ∂L/∂c<t-1>
        _sigmoid_back(z[:, :3 * H], dz[:, :3 * H])
        _tanh_back(ct, dct)
        return dz @ p["Wh"].T, dc_tot


def _sigmoid_back(y, dy):
    """dy *= σ'(x) = y(1 − y), in place."""
    dy *= y
    dy -= dy * y


def _tanh_back(y, dy):
    """dy *= tanh'(x) = 1 − y², in place."""
    dy -= dy * y * y


def make_cell(config) -> Cell:
    """The cell a :class:`~rnncore.config.ModelConfig` asks for."""
    H = config.hidden_size
    if config.cell == "rnn":
        return RNNCell(H, config.activation)
    if config.cell == "gru-simple":
        return GRUSimpleCell(H)
    if config.cell == "gru":
        return GRUResetAfterCell(H) if config.reset_after else GRUCell(H)
    return LSTMCell(H)
