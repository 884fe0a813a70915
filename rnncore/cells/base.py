"""Recurrent cells with the notes' equations (§1, §2 of seed/DIGEST.md).

A cell holds no arrays: parameters live in a dict the model owns, and every
intermediate of a pass lives in a :class:`Buffers` (forward) or a :class:`Back`
(backward) that the caller owns, so a second forward pass (a probe sentence)
never disturbs a pending backward pass.

Gates are stacked: one time step is one matrix product with Wh added to the
input projection ``x<t> @ Wx + b``, which the layer computes for every t at
once. Blocks are H wide, in the order given by ``Cell.gates`` (``rnncore.naming``
maps the keys to the notes' symbols).

Inside a pass, arrays are feature-major per step, as in the notes and the
deeplearning.ai course: a<t> is (H, N), the gates of a step (G·H, N), so a step
is ``Whᵀ a<t-1>`` and every gate block ``z[g·H:(g+1)·H]`` is contiguous (on
strided column blocks of a (N, G·H) array the same elementwise work costs 2–3×).
Callers see the usual batch-rows layout: ``Buffers.Z``, ``A``, ``C``, ``E`` are
(T, N, ·) views of the feature-major arrays ``Zc``, ``Ac``, ``Cc``, ``Ec``.

Shapes: N batch, H hidden units, G gate blocks, T time steps.

Speed (DESIGN.md, "Where a NumPy training step spends its time"): at the app's
sizes a step costs about one microsecond per NumPy call, so each step makes as
few calls as it can:

- σ(x) = ½ tanh(x/2) + ½, and the σ blocks of the weights are halved once per
  pass (:meth:`Cell.fwd_weights`), so one ``tanh`` covers every gate of a step;
- backward first computes, for all t at once, each local derivative that does
  not depend on the gradient flowing back (σ', tanh', the factors of each
  product: :meth:`Cell.local`), so a step backward is a few products and one
  matrix product. Padded steps are folded into those factors (zero), so a
  padded step adds nothing and its state gradient passes straight through.

``step(w, buf, t)``
    expects ``buf.Zc[t]`` to hold the input projection (σ blocks halved); leaves
    the activated gates there, the new a<t> in ``buf.Ac[t]`` (and c<t> in
    ``buf.Cc[t]``), reading a<t-1> from ``buf.Ac_prev[t]``.
``step_back(w, k, t, da, dc, dz)``
    da, dc: ∂L/∂a<t>, ∂L/∂c<t> (H, N) (da total, from above and from the
    future; dc from the future only); writes ∂L/∂(what multiplies Wh, Wx) into
    dz (G·H, N) and returns (∂L/∂a<t-1>, ∂L/∂c<t-1>) in scratch arrays of ``k``.
``weight_grads(p, buf, k, dZc, flow, grads)``
    the recurrent weight gradients for all steps in one product; returns ∂L/∂
    of the pre-activations, all steps side by side (G·H, T·N), for the input
    side (Wx, b, x).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..functional import activate_, activation_grad, pool


@dataclass
class Buffers:
    """Everything one pass of one layer direction computes, time-major, feature-major per step."""
    Zc: np.ndarray              # (T, G·H, N) activated gates (the projection on entry)
    Ac: np.ndarray              # (T, H, N) a<t>
    Cc: np.ndarray | None       # (T, H, N) c<t> (LSTM); for GRUs c<t> = a<t>
    Ec: np.ndarray | None       # (T, H, N) cell-specific extra (see each cell)
    S: np.ndarray               # (G·H, N) scratch
    Ac_prev: np.ndarray         # (T, H, N) a<t-1> of step t (a view: the same memory as Ac, shifted)
    Cc_prev: np.ndarray | None  # (T, H, N) c<t-1> of step t (LSTM)

    # the same arrays with batch rows, (T, N, ·), as views
    Z = property(lambda self: _rows(self.Zc))
    A = property(lambda self: _rows(self.Ac))
    C = property(lambda self: _rows(self.Cc))
    E = property(lambda self: _rows(self.Ec))


def _rows(a):
    return None if a is None else a.transpose(0, 2, 1)


def all_steps(a: np.ndarray) -> np.ndarray:
    """(T, F, N) → (F, T·N), every step side by side, for one product over all
    steps. A copy of N-long runs (moving single elements would cost ~2× more)."""
    T, F, N = a.shape
    out = pool.empty((F, T, N), a.dtype)
    np.copyto(out, a.transpose(1, 0, 2))
    return out.reshape(F, T * N)


@dataclass
class Back:
    """One backward pass's local derivatives (all t, zero at padded steps) and scratch."""
    P: np.ndarray              # (T, ·, N) ∂(pre-activations)/∂(a<t> or c<t>), per cell
    keep: np.ndarray | None    # (T, H, N) ∂a<t>/∂a<t-1> direct (GRUs: 1 − Γu) or ∂c<t>/∂c<t-1> (LSTM: Γf)
    Q: np.ndarray | None       # (T, H, N) cell-specific (see each cell)
    da: np.ndarray             # (H, N) ∂L/∂a<t-1> being formed
    dc: np.ndarray | None      # (H, N) ∂L/∂c<t> (LSTM)
    dc_prev: np.ndarray | None  # (H, N) ∂L/∂c<t-1> (LSTM)
    tmp: np.ndarray            # (H, N) scratch


def _extended(T, H, N, dtype, reverse):
    """(T+1, H, N) storage of a<t> with the initial state in the extra slot, and two
    views of it: the states (T, H, N) and, for each t, the state before it."""
    ext = pool.empty((T + 1, H, N), dtype)
    return (ext[:-1], ext[1:]) if reverse else (ext[1:], ext[:-1])


class Cell:
    gates: tuple[str, ...] = ()   # keys of the blocks of Z, in order
    has_c = False                 # a separate memory cell c (LSTM)
    extra = False                 # needs Buffers.Ec
    n_sigmoid = 0                 # leading blocks of Z that are σ gates

    def __init__(self, hidden_size: int):
        self.H = hidden_size

    @property
    def G(self) -> int:
        return len(self.gates)

    def param_shapes(self, input_size: int) -> dict[str, tuple[int, ...]]:
        gh = self.G * self.H
        return {"Wx": (input_size, gh), "Wh": (self.H, gh), "b": (gh,)}

    def fwd_weights(self, p: dict) -> dict:
        """The weights a forward pass uses: Whᵀ (G·H, H) contiguous, b as a column,
        σ blocks halved (exactly, a power of two), since σ(x) = ½ tanh(x/2) + ½
        lets one tanh call cover every gate of a step."""
        half = np.ones(p["b"].shape, p["b"].dtype)
        half[:self.n_sigmoid * self.H] = 0.5
        w = {"Wx": p["Wx"] * half, "b": (p["b"] * half)[:, None]}
        w["WxT"] = np.ascontiguousarray(w["Wx"].T)
        w["WhT"] = np.ascontiguousarray((p["Wh"] * half).T)
        if "bhn" in p:
            w["bhn"] = p["bhn"][:, None]
        return w

    def bwd_weights(self, p: dict) -> dict:
        """The weights a backward pass uses (Wh itself carries ∂L/∂a<t-1> = Wh dz)."""
        return p

    def alloc(self, T: int, N: int, dtype, reverse: bool = False) -> Buffers:
        H, gh = self.H, self.G * self.H
        A, A_prev = _extended(T, H, N, dtype, reverse)
        C, C_prev = _extended(T, H, N, dtype, reverse) if self.has_c else (None, None)
        return Buffers(Zc=pool.empty((T, gh, N), dtype), Ac=A, Cc=C,
                       Ec=pool.empty((T, H, N), dtype) if self.extra else None,
                       S=np.empty((gh, N), dtype), Ac_prev=A_prev, Cc_prev=C_prev)

    def back(self, P, keep=None, Q=None) -> Back:
        H, N = self.H, P.shape[2]
        e = lambda: np.empty((H, N), P.dtype)  # noqa: E731
        return Back(P, keep, Q, e(), e() if self.has_c else None, e() if self.has_c else None, e())

    def weight_grads(self, p, buf, k, dZc, flow, grads):
        """∂L/∂Wh = Σ_t a<t-1> dz<t>ᵀ, as one product over all steps."""
        dZ = all_steps(dZc)
        grad_product(dZ, all_steps(buf.Ac_prev).T, grads["Wh"])
        return dZ


def grad_product(dZ, X, out):
    """out = (dZ @ X)ᵀ: Σ over all steps of input × gradient. Forming the
    transpose and copying it was the fastest of the product's forms here."""
    np.copyto(out, np.matmul(dZ, X).T)


def _sig_grad(y, out):
    """out = σ'(x) = y(1 − y), from the output y."""
    return activation_grad("sigmoid", y, out)


def _tanh_grad(y, out):
    """out = tanh'(x) = 1 − y², from the output y."""
    return activation_grad("tanh", y, out)


def _one_minus(u):
    return np.subtract(1, u, out=pool.empty_like(u))


def _copy(a):
    out = pool.empty_like(a)
    np.copyto(out, a)
    return out


def _masked(k: Back, mask):
    """Padded steps (mask (T, 1, N)): no gate gets a gradient and nothing passes
    through the cell (the layer adds ∂L/∂a<t> back unchanged; the LSTM's c passes
    through `keep`)."""
    if mask is not None:
        k.P *= mask
        if k.Q is not None:
            k.Q *= mask
        if k.keep is not None:
            k.keep *= mask
    return k


class RNNCell(Cell):
    """a<t> = g(W_aa a<t-1> + W_ax x<t> + b_a)   (§1; g = tanh, sigmoid or relu).

    Z and A share memory: the activation happens in place.
    """
    gates = ("a_pre",)

    def __init__(self, hidden_size: int, activation: str = "tanh"):
        super().__init__(hidden_size)
        self.activation = activation

    def alloc(self, T, N, dtype, reverse=False):
        buf = super().alloc(T, N, dtype, reverse)
        buf.Zc = buf.Ac
        return buf

    def step(self, w, buf, t):
        z = buf.Zc[t]
        z += np.matmul(w["WhT"], buf.Ac_prev[t], out=buf.S)
        activate_(self.activation, z)

    def local(self, buf, mask):
        P = activation_grad(self.activation, buf.Ac, pool.empty_like(buf.Ac))    # g'(·), from a<t>
        return _masked(self.back(P), mask)

    def step_back(self, w, k, t, da, dc, dz):
        np.multiply(da, k.P[t], out=dz)                  # backprop through g
        return np.matmul(w["Wh"], dz, out=k.da), None


class LSTMCell(Cell):
    """LSTM (§2.3) with update (input), forget and output gates:

    c̃<t> = tanh(W_c [a<t-1>, x<t>] + b_c)
    Γu = σ(W_u [a<t-1>, x<t>] + b_u);  Γf = σ(W_f ...);  Γo = σ(W_o ...)
    c<t> = Γu * c̃<t> + Γf * c<t-1>
    a<t> = Γo * tanh(c<t>)

    The notes write a<t> = Γo * c<t>; the standard LSTM (and the lecture the
    notes follow, and PyTorch) applies tanh to c<t>, as here. ``Ec`` keeps tanh(c<t>).
    In backward, ``Q`` keeps ∂a<t>/∂c<t> = Γo tanh'(c) and ``keep`` is Γf.
    """
    gates = ("gamma_u", "gamma_f", "gamma_o", "c_tilde")
    has_c = True
    extra = True
    n_sigmoid = 3

    def step(self, w, buf, t):
        H, z, S = self.H, buf.Zc[t], buf.S
        z += np.matmul(w["WhT"], buf.Ac_prev[t], out=S)
        np.tanh(z, out=z)
        g = z[:3 * H]
        g *= 0.5
        g += 0.5                                         # Γu, Γf, Γo = σ
        c, tc = buf.Cc[t], buf.Ec[t]
        np.multiply(z[H:2 * H], buf.Cc_prev[t], out=c)   # Γf * c<t-1>
        c += np.multiply(z[:H], z[3 * H:], out=S[:H])    # + Γu * c̃
        np.tanh(c, out=tc)
        np.multiply(z[2 * H:3 * H], tc, out=buf.Ac[t])

    def local(self, buf, mask):
        H, Z, tc = self.H, buf.Zc, buf.Ec
        u, f, o, ct = Z[:, :H], Z[:, H:2 * H], Z[:, 2 * H:3 * H], Z[:, 3 * H:]
        P = pool.empty_like(Z)        # per unit of ∂L/∂c (Γu, Γf, c̃) or of ∂L/∂a (Γo)
        _sig_grad(Z[:, :3 * H], P[:, :3 * H])
        P[:, :H] *= ct                                   # ∂c/∂Γu = c̃
        P[:, H:2 * H] *= buf.Cc_prev                     # ∂c/∂Γf = c<t-1>
        P[:, 2 * H:3 * H] *= tc                          # ∂a/∂Γo = tanh(c)
        pc = _tanh_grad(ct, P[:, 3 * H:])                # ∂c/∂c̃ = Γu, through tanh
        pc *= u
        Q = _tanh_grad(tc, pool.empty_like(tc))          # ∂a/∂c = Γo, through tanh
        Q *= o
        if mask is None:
            return self.back(P, keep=f, Q=Q)
        k = _masked(self.back(P, keep=_copy(f), Q=Q), mask)
        k.keep += 1 - mask                               # c passes padded steps unchanged
        return k

    def step_back(self, w, k, t, da, dc, dz):
        H, N = da.shape
        dct = np.multiply(da, k.Q[t], out=k.dc)          # ∂L/∂c<t>: from a<t> ...
        dct += dc                                        # ... and from c<t+1>
        np.multiply(dct, k.P[t].reshape(4, H, N), out=dz.reshape(4, H, N))
        np.multiply(da, k.P[t][2 * H:3 * H], out=dz[2 * H:3 * H])   # Γo: from a<t>
        np.multiply(dct, k.keep[t], out=k.dc_prev)       # ∂c<t>/∂c<t-1> = Γf
        return np.matmul(w["Wh"], dz, out=k.da), k.dc_prev
