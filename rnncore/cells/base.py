"""The cell protocol (§1, §2 of seed/DIGEST.md), shared by rnn.py, lstm.py and gru.py.

A cell holds no arrays: parameters live in a dict the model owns, and every
intermediate of a pass lives in the cell's forward cache (a :class:`Buffers`
with the notes' names for what the cell keeps: ``gu``, ``gf``, ``c_tilde``,
``tanh_c`` ...) or its backward tuple (a NamedTuple of local derivatives named
for what they are, ``da_dc``, ``one_minus_gu`` ...) that the caller owns, so a
second forward pass (a probe sentence) never disturbs a pending backward pass.

Gates are stacked: one time step is one matrix product with Wh added to the
input projection ``x<t> @ Wx + b``, which the layer computes for every t at
once. Blocks are H wide, in the order given by ``Cell.gates`` (``rnncore.naming``
maps the keys to the notes' symbols); each cache also has every block as a
named view (``gu`` is ``z[:, :H]`` when Γu is the first block).

Inside a pass, arrays are feature-major per step, as in the notes and the
deeplearning.ai course: a<t> is (H, N), the gates of a step (G·H, N), so a step
is ``Whᵀ a<t-1>`` and every gate block ``z[g·H:(g+1)·H]`` is contiguous (on
strided column blocks of a (N, G·H) array the same elementwise work costs 2–3×).
Callers see the usual batch-rows layout: ``Buffers.Z``, ``A``, ``C`` are
(T, N, ·) views of the feature-major arrays ``z``, ``a``, ``c``.

Shapes: N batch, H hidden units, G gate blocks, T time steps.

Speed (DESIGN.md, "Where a NumPy training step spends its time"): at the app's
sizes a step costs about one microsecond per NumPy call, so each step makes as
few calls as it can:

- σ(x) = ½ tanh(x/2) + ½, and the σ blocks of the weights are halved once per
  pass (:meth:`Cell.fwd_weights`), so one ``tanh`` covers every gate of a step;
- backward first computes, for all t at once, each local derivative that does
  not depend on the gradient flowing back (σ', tanh', the factors of each
  product: ``local``), so a step backward is a few products and one matrix
  product. Padded steps are folded into those factors (zero), so a padded step
  adds nothing and its state gradient passes straight through.

``step(w, f, t)``
    expects ``f.z[t]`` to hold the input projection (σ blocks halved); leaves
    the activated gates there, the new a<t> in ``f.a[t]`` (and c<t> in
    ``f.c[t]``), reading a<t-1> from ``f.a_prev[t]``.
``local(f, mask)``
    the cell's backward tuple: its local derivatives for every t, and scratch.
``step_back(w, k, t, da, dc, dz)``
    da, dc: ∂L/∂a<t>, ∂L/∂c<t> (H, N) (da total, from above and from the
    future; dc from the future only); writes ∂L/∂(what multiplies Wh, Wx) into
    dz (G·H, N) and returns (∂L/∂a<t-1>, ∂L/∂c<t-1>) in scratch arrays of ``k``.
``weight_grads(p, f, k, dz, flow, grads)``
    the recurrent weight gradients for all steps in one product; returns ∂L/∂
    of the pre-activations, all steps side by side (G·H, T·N), for the input
    side (Wx, b, x).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..functional import activation_grad, pool


@dataclass(kw_only=True, eq=False)
class Buffers:
    """What one forward pass of one layer direction keeps: time-major, feature-major per step.
    Each cell's cache adds named views of the gate blocks of ``z`` and what else it keeps."""
    z: np.ndarray                    # (T, G·H, N) activated gates, stacked (the input projection on entry)
    a: np.ndarray                    # (T, H, N) a<t>
    a_prev: np.ndarray               # (T, H, N) a<t-1> of step t (the same memory as a, shifted)
    scratch: np.ndarray              # (G·H, N)
    c: np.ndarray | None = None      # (T, H, N) c<t> (LSTM); for GRUs c<t> = a<t>
    c_prev: np.ndarray | None = None  # (T, H, N) c<t-1> of step t (LSTM)

    # the same arrays with batch rows, (T, N, ·), as views
    Z = property(lambda self: _rows(self.z))
    A = property(lambda self: _rows(self.a))
    C = property(lambda self: _rows(self.c))


def _rows(a):
    return None if a is None else a.transpose(0, 2, 1)


def all_steps(a: np.ndarray) -> np.ndarray:
    """(T, F, N) → (F, T·N), every step side by side, for one product over all
    steps. A copy of N-long runs (moving single elements would cost ~2× more)."""
    T, F, N = a.shape
    out = pool.empty((F, T, N), a.dtype)
    np.copyto(out, a.transpose(1, 0, 2))
    return out.reshape(F, T * N)


def _extended(T, H, N, dtype, reverse):
    """(T+1, H, N) storage of a<t> with the initial state in the extra slot, and two
    views of it: the states (T, H, N) and, for each t, the state before it."""
    ext = pool.empty((T + 1, H, N), dtype)
    return (ext[:-1], ext[1:]) if reverse else (ext[1:], ext[:-1])


class Cell:
    gates: tuple[str, ...] = ()   # keys of the blocks of z, in order
    has_c = False                 # a separate memory cell c (LSTM)
    n_sigmoid = 0                 # leading blocks of z that are σ gates

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
        """The forward cache of a pass; cells with named parts override it through :meth:`_alloc`."""
        return Buffers(**self._alloc(T, N, dtype, reverse))

    def _alloc(self, T, N, dtype, reverse):
        """The shared fields of a forward cache, as keyword arguments."""
        H, gh = self.H, self.G * self.H
        a, a_prev = _extended(T, H, N, dtype, reverse)
        c, c_prev = _extended(T, H, N, dtype, reverse) if self.has_c else (None, None)
        return dict(z=pool.empty((T, gh, N), dtype), a=a, a_prev=a_prev, c=c, c_prev=c_prev,
                    scratch=np.empty((gh, N), dtype))

    def weight_grads(self, p, f, k, dz, flow, grads):
        """∂L/∂Wh = Σ_t a<t-1> dz<t>ᵀ, as one product over all steps."""
        dZ = all_steps(dz)
        grad_product(dZ, all_steps(f.a_prev).T, grads["Wh"])
        return dZ


def blocks(z: np.ndarray, H: int) -> list[np.ndarray]:
    """The H-wide gate blocks of a stacked (T, G·H, N) array, as views (T, H, N)."""
    return [z[:, i:i + H] for i in range(0, z.shape[1], H)]


def scratch(f: Buffers, n: int) -> list[np.ndarray]:
    """n (H, N) arrays for one backward pass's running gradients."""
    return [np.empty(f.a.shape[1:], f.a.dtype) for _ in range(n)]


def grad_product(dZ, X, out):
    """out = (dZ @ X)ᵀ: Σ over all steps of input × gradient. Forming the
    transpose and copying it was the fastest of the product's forms here."""
    np.copyto(out, np.matmul(dZ, X).T)


def sig_grad(y, out):
    """out = σ'(x) = y(1 − y), from the output y."""
    return activation_grad("sigmoid", y, out)


def tanh_grad(y, out):
    """out = tanh'(x) = 1 − y², from the output y."""
    return activation_grad("tanh", y, out)


def one_minus(u):
    return np.subtract(1, u, out=pool.empty_like(u))


def mask_(mask, *factors):
    """Padded steps (mask (T, 1, N), or None): each local derivative becomes zero there,
    so no gate gets a gradient and nothing passes through the cell (the layer adds
    ∂L/∂a<t> back unchanged)."""
    if mask is not None:
        for x in factors:
            x *= mask
