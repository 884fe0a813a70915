"""Layers over time: one direction, both directions (BRNN), and stacks (deep RNN).

Time-major throughout: X is (T, N, D), outputs (T, N, H) per direction.

Variable lengths (the notes' T_x(i)) use a mask (T, N, 1) of ones and zeros:
at a padded step the state is carried unchanged, a<t> = a<t-1>. Hence the
final state of the forward direction is the state at each sequence's own last
step, the backward direction starts reading at each sequence's own last step,
and padding adds nothing to any gradient.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .cells import Buffers, Cell, grad_product, all_steps
from .functional import add_rows_at, pool


class DirectionCache(NamedTuple):
    X: np.ndarray                # (T, N, D) floats or (T, N) token ids
    tokens: bool                 # X holds token ids (one-hot input: a row of Wx each)
    buf: Buffers                 # every intermediate
    a0: np.ndarray               # (H, N) (a view into buf)
    c0: np.ndarray | None        # (H, N), LSTM only
    mask: np.ndarray | None      # (T, N, 1)
    reverse: bool


class Direction:
    """One direction of one recurrent layer: a cell unrolled over time.

    Arrays in and out have batch rows, (T, N, ·); inside, each step is
    feature-major (see ``rnncore.cells``).
    """

    def __init__(self, cell: Cell, reverse: bool = False):
        self.cell = cell
        self.reverse = reverse

    def order(self, T: int) -> range:
        return range(T - 1, -1, -1) if self.reverse else range(T)

    def forward(self, p, X, mask=None, state0=None, tokens=False):
        """X (T, N, D) or token ids (T, N) → (A (T, N, H), (a, c) final, cache)."""
        cell = self.cell
        T, N = X.shape[:2]
        w = cell.fwd_weights(p)
        buf = cell.alloc(T, N, p["Wh"].dtype, self.reverse)
        if tokens:                               # a token selects a row of Wx
            np.add(np.take(w["Wx"], X, axis=0).transpose(0, 2, 1), w["b"], out=buf.z)
        else:                                    # Wxᵀ x<t> for every t in one call
            np.matmul(w["WxT"], _steps_of(X), out=buf.z)
            buf.z += np.broadcast_to(w["b"], buf.z.shape[1:]).copy()   # a whole step's tile: 3× faster than a column
        first, last = (T - 1, 0) if self.reverse else (0, T - 1)
        a0, c0 = state0 if state0 is not None else (None, None)
        a0 = _init(buf.a_prev[first], a0)
        c0 = _init(buf.c_prev[first], c0) if cell.has_c else None
        pad, padded = _padding(None if mask is None else mask.transpose(0, 2, 1), T)    # (T, 1, N)
        for t in self.order(T):
            cell.step(w, buf, t)
            if padded[t]:                        # padding carries the state unchanged
                np.copyto(buf.a[t], buf.a_prev[t], where=pad[t])
                if c0 is not None:
                    np.copyto(buf.c[t], buf.c_prev[t], where=pad[t])
        cache = DirectionCache(X, tokens, buf, a0, c0, mask, self.reverse)
        final = (buf.a[last].T.copy(), buf.c[last].T.copy() if c0 is not None else None)
        return buf.A, final, cache

    def backward(self, p, dA, cache, dfinal=None, need_dx=True):
        """Backpropagation through time.

        dA: ∂L/∂a<t> from above (T, N, H) or None; dfinal: (∂L/∂a, ∂L/∂c) of the
        final state. Returns (dX or None, (da0, dc0), grads, flow) where flow
        (T, N, H) is the total ∂L/∂a<t>: from above and back through time.
        """
        cell, buf = self.cell, cache.buf
        X, A = cache.X, buf.a
        T, H, N = A.shape
        w = cell.bwd_weights(p)
        mask = None if cache.mask is None else cache.mask.transpose(0, 2, 1)   # (T, 1, N)
        k = cell.local(buf, mask)                # every t at once; padded steps folded in
        dZc = pool.empty_like(buf.z)
        flow = pool.empty_like(A)
        if dA is not None:                       # feature-major, like every step
            np.copyto(flow, dA.transpose(0, 2, 1))
        da_next, dc_next = dfinal if dfinal is not None else (None, None)
        da_next = np.zeros((H, N), A.dtype) if da_next is None else np.broadcast_to(da_next, (N, H)).T
        if cell.has_c:
            dc_next = np.zeros((H, N), A.dtype) if dc_next is None else np.broadcast_to(dc_next, (N, H)).T
        pad, padded = _padding(mask, T)
        for t in reversed(self.order(T)):
            da = flow[t]
            if dA is None:
                np.copyto(da, da_next)
            else:
                da += da_next
            da_next, dc_next = cell.step_back(w, k, t, da, dc_next, dZc[t])
            if padded[t]:                        # padded steps pass ∂L/∂a straight through
                np.add(da_next, da, out=da_next, where=pad[t])
        grads = {name: pool.empty_like(v) for name, v in p.items()}
        dZ = cell.weight_grads(p, buf, k, dZc, flow, grads)        # (G·H, T·N)
        np.matmul(dZ, np.ones(T * N, dZ.dtype), out=grads["b"])    # Σ over steps and batch: a GEMV beats sum()
        dX = None
        if cache.tokens:
            grads["Wx"][...] = 0
            add_rows_at(grads["Wx"], X, dZ.T)
        else:
            D = X.shape[-1]
            X_rows = X.reshape(T * N, D) if X.flags.c_contiguous else all_steps(_steps_of(X)).T
            grad_product(dZ, X_rows, grads["Wx"])
            if need_dx:                          # (D, T·N), seen with batch rows (T, N, D)
                dX = np.matmul(p["Wx"], dZ, out=pool.empty((D, T * N), dZ.dtype)).reshape(D, T, N).transpose(1, 2, 0)
        dstate0 = (da_next.T.copy(), dc_next.T.copy() if dc_next is not None else None)
        return dX, dstate0, grads, flow.transpose(0, 2, 1)


def _steps_of(X):
    """(T, N, D) → (T, D, N): feature-major steps (a view when X came from a layer)."""
    Xc = X.transpose(0, 2, 1)
    if Xc.flags.c_contiguous:
        return Xc
    out = pool.empty(Xc.shape, X.dtype)
    np.copyto(out, Xc)
    return out


def _init(slot, value):
    """Write the initial state (N, H) (zeros when None) into its slot (H, N); returns the slot."""
    if value is None:
        slot[...] = 0
    else:
        np.copyto(slot, np.broadcast_to(value, slot.shape[::-1]).T)
    return slot


_NO_PADDING = type("NoPadding", (), {"__getitem__": lambda self, t: False})()


def _padding(mask, T):
    """→ (pad bool, mask's shape, or None; padded[t]: does step t pad any sequence)."""
    if mask is None:
        return None, _NO_PADDING
    pad = mask == 0
    return pad, pad.reshape(T, -1).any(axis=1).tolist()


class StackCache(NamedTuple):
    caches: list            # [layer][direction] → DirectionCache
    inputs_tokens: bool


class Stack:
    """Deep (and optionally bidirectional) recurrent layers, a[l]<t>.

    ``params[l][d]`` is the parameter dict of layer l, direction d (0: →, 1: ←).
    States are lists indexed [l][d] of (a, c) pairs.
    """

    def __init__(self, make_cell, num_layers: int, bidirectional: bool):
        self.layers = [
            [Direction(make_cell())] + ([Direction(make_cell(), reverse=True)] if bidirectional else [])
            for _ in range(num_layers)
        ]

    @property
    def directions(self) -> int:
        return len(self.layers[0])

    def forward(self, params, X, mask=None, states0=None, tokens=False):
        """→ (top output (T, N, F), finals [l][d] = (a, c), cache)."""
        caches, finals, h = [], [], X
        for l, dirs in enumerate(self.layers):
            outs, fin, cs = [], [], []
            for d, layer in enumerate(dirs):
                s0 = states0[l][d] if states0 is not None else None
                A, f, c = layer.forward(params[l][d], h, mask, s0, tokens=tokens and l == 0)
                outs.append(A)
                fin.append(f)
                cs.append(c)
            if len(outs) == 1:
                h = outs[0]
            else:                               # [→a, ←a] feature-major, seen with batch rows
                T, N, H = outs[0].shape
                h = np.concatenate([o.transpose(0, 2, 1) for o in outs], axis=1,
                                   out=pool.empty((T, H * len(outs), N), outs[0].dtype)).transpose(0, 2, 1)
            caches.append(cs)
            finals.append(fin)
        top = pool.empty(h.shape, h.dtype)      # batch rows, contiguous, for the head
        np.copyto(top, h)
        return top, finals, StackCache(caches, tokens)

    def backward(self, params, dtop, cache, dfinals=None, need_dx=True):
        """→ (dX, dstates0 [l][d], grads [l][d], flows [l][d] (T, N, H))."""
        L = len(self.layers)
        grads = [[None] * self.directions for _ in range(L)]
        flows = [[None] * self.directions for _ in range(L)]
        dstates0 = [[None] * self.directions for _ in range(L)]
        dh = dtop
        for l in range(L - 1, -1, -1):
            dirs = self.layers[l]
            H = dirs[0].cell.H
            dX = None
            for d, layer in enumerate(dirs):
                dA = None if dh is None else dh[..., d * H:(d + 1) * H]
                dfin = dfinals[l][d] if dfinals is not None else None
                want_dx = need_dx or l > 0
                dx, ds0, g, fl = layer.backward(params[l][d], dA, cache.caches[l][d], dfin, want_dx)
                grads[l][d], flows[l][d], dstates0[l][d] = g, fl, ds0
                if dx is not None:
                    dX = dx if dX is None else dX + dx
            dh = dX
        return dh, dstates0, grads, flows
