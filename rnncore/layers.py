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

from .cells import Buffers, Cell
from .functional import pool


class DirectionCache(NamedTuple):
    X: np.ndarray                # (T, N, D) floats or (T, N) token ids
    tokens: bool                 # X holds token ids (one-hot input: a row of Wx each)
    buf: Buffers                 # every intermediate
    a0: np.ndarray               # (N, H)
    c0: np.ndarray | None        # (N, H), LSTM only
    mask: np.ndarray | None      # (T, N, 1)
    reverse: bool


class Direction:
    """One direction of one recurrent layer: a cell unrolled over time."""

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
        gh = buf.Z.shape[-1]
        if tokens:
            np.take(w["Wx"], X, axis=0, out=buf.Z)
        else:
            np.matmul(X.reshape(T * N, -1), w["Wx"], out=buf.Z.reshape(T * N, gh))
        buf.Z += w["b"]
        first, last = (T - 1, 0) if self.reverse else (0, T - 1)
        a0, c0 = state0 if state0 is not None else (None, None)
        a0 = _init(buf.A_prev[first], a0)
        c0 = _init(buf.C_prev[first], c0) if cell.has_c else None
        pad, padded = _padding(mask, T)
        for t in self.order(T):
            cell.step(w, buf, t)
            if padded[t]:                        # padding carries the state unchanged
                np.copyto(buf.A[t], buf.A_prev[t], where=pad[t])
                if c0 is not None:
                    np.copyto(buf.C[t], buf.C_prev[t], where=pad[t])
        cache = DirectionCache(X, tokens, buf, a0, c0, mask, self.reverse)
        return buf.A, (buf.A[last], buf.C[last] if c0 is not None else None), cache

    def backward(self, p, dA, cache, dfinal=None, need_dx=True):
        """Backpropagation through time.

        dA: ∂L/∂a<t> from above (T, N, H) or None; dfinal: (∂L/∂a, ∂L/∂c) of the
        final state. Returns (dX or None, (da0, dc0), grads, flow) where flow
        (T, N, H) is the total ∂L/∂a<t>: from above and back through time.
        """
        cell, buf = self.cell, cache.buf
        X, A = cache.X, buf.A
        T, N, H = A.shape
        w = cell.bwd_weights(p)
        k = cell.local(buf, cache.mask)          # every t at once; padded steps folded in
        dZ = pool.empty_like(buf.Z)
        flow = pool.empty_like(A)
        da_next, dc_next = dfinal if dfinal is not None else (None, None)
        if da_next is None:
            da_next = np.zeros((N, H), A.dtype)
        if cell.has_c and dc_next is None:
            dc_next = np.zeros((N, H), A.dtype)
        pad, padded = _padding(cache.mask, T)
        for t in reversed(self.order(T)):
            da = flow[t]
            if dA is None:
                np.copyto(da, da_next)
            else:
                np.add(dA[t], da_next, out=da)
            da_next, dc_next = cell.step_back(w, k, t, da, dc_next, dZ[t])
            if padded[t]:                        # padded steps pass ∂L/∂a straight through
                np.add(da_next, da, out=da_next, where=pad[t])
        grads = {name: pool.empty_like(v) for name, v in p.items()}
        dZ = cell.weight_grads(p, buf, k, dZ, flow, grads)
        gh = dZ.shape[-1]
        dZ2 = dZ.reshape(T * N, gh)
        np.sum(dZ2, axis=0, out=grads["b"])
        dX = None
        if cache.tokens:
            grads["Wx"][...] = 0
            np.add.at(grads["Wx"], X.reshape(-1), dZ2)
        else:
            X2 = X.reshape(T * N, -1)
            np.matmul(X2.T, dZ2, out=grads["Wx"])
            if need_dx:
                dX = np.matmul(dZ2, p["Wx"].T, out=pool.empty((T * N, X.shape[-1]), dZ.dtype)).reshape(X.shape)
        return dX, (da_next, dc_next), grads, flow


def _init(slot, value):
    """Write the initial state (zeros when None) into its slot; returns the slot."""
    if value is None:
        slot[...] = 0
    else:
        np.copyto(slot, value)
    return slot


_NO_PADDING = type("NoPadding", (), {"__getitem__": lambda self, t: False})()


def _padding(mask, T):
    """→ (pad (T, N, 1) bool or None, padded[t]: does step t pad any sequence)."""
    if mask is None:
        return None, _NO_PADDING
    pad = mask == 0
    return pad, pad.any(axis=(1, 2)).tolist()


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
            h = outs[0] if len(outs) == 1 else np.concatenate(
                outs, axis=-1, out=pool.empty((*outs[0].shape[:-1], sum(o.shape[-1] for o in outs)), outs[0].dtype))
            caches.append(cs)
            finals.append(fin)
        return h, finals, StackCache(caches, tokens)

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
