"""Numerically stable elementwise functions, written to work in place.

In-place forms (trailing underscore) exist because at the app's sizes a training
step is bound by per-call overhead and allocation, not arithmetic (DESIGN.md).
"""
from __future__ import annotations

import math
import sys
import threading

import numpy as np


def sigmoid_(x: np.ndarray) -> np.ndarray:
    """σ(x) in place, as ½·tanh(x/2) + ½: never overflows, never warns."""
    x *= 0.5
    np.tanh(x, out=x)
    x *= 0.5
    x += 0.5
    return x


def sigmoid(x: np.ndarray) -> np.ndarray:
    return sigmoid_(np.array(x, dtype=np.result_type(x, np.float32), copy=True))


def activate_(name: str, x: np.ndarray) -> np.ndarray:
    """g(x) in place for the vanilla RNN's activation."""
    if name == "tanh":
        return np.tanh(x, out=x)
    if name == "sigmoid":
        return sigmoid_(x)
    return np.maximum(x, 0, out=x)  # relu


def activation_grad(name: str, y: np.ndarray, out: np.ndarray) -> np.ndarray:
    """out = g'(x), written in terms of the output y = g(x): tanh' = 1 − y², σ' = y(1 − y),
    relu' = [y > 0]."""
    if name == "tanh":
        np.multiply(y, y, out=out)
        np.subtract(1, out, out=out)
    elif name == "sigmoid":
        np.subtract(1, y, out=out)
        out *= y
    else:
        np.greater(y, 0, out=out, casting="unsafe")
    return out


def log_softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """log softmax with the max subtracted first (no overflow at large logits)."""
    z = z - z.max(axis=axis, keepdims=True)
    z -= np.log(np.exp(z).sum(axis=axis, keepdims=True))
    return z


def softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    e /= e.sum(axis=axis, keepdims=True)
    return e


ONE_HOT_MAX = 1 << 22       # elements of the one-hot matrix add_rows_at may build


def add_rows_at(out: np.ndarray, ids: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """out[ids[m]] += rows[m] for every m (repeated ids add up), as ``np.add.at``.

    A token's gradient (one-hot inputs: a column of W_x; an embedding row) sums
    the rows of all the steps that read it. ``np.add.at`` does that one element at
    a time (a quarter of a step of the ``code`` task); the same sum as the product
    of the one-hot matrix (V, M) with ``rows`` is one GEMM, 2-4× faster. Only
    the order of the additions differs (float rounding). A large vocabulary times
    many steps would make that matrix big, so there ``np.add.at`` stays."""
    ids = np.asarray(ids).reshape(-1)
    V, M = out.shape[0], len(ids)
    if V * M > ONE_HOT_MAX:
        np.add.at(out, ids, rows)
        return out
    one_hot = np.zeros((V, M), out.dtype)
    one_hot[ids, np.arange(M)] = 1
    out += one_hot @ rows
    return out


def softplus(z: np.ndarray) -> np.ndarray:
    """log(1 + eᶻ) = max(z, 0) + log1p(e^−|z|), stable at any z."""
    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))


class Pool:
    """Large scratch arrays handed out again once nothing refers to them.

    A training step allocates tens of megabytes of fresh arrays at the larger
    sizes, and fresh memory costs page faults (a third of a step's time was
    seen in the kernel). Each block here is a uint8 array that only the pool
    and the views it handed out refer to; CPython's reference count says when
    those views are all gone, so a block is reused only when no cache, trace or
    gradient still uses it: no lifetime rules for callers, and a second forward
    pass never writes into a pending backward pass's arrays.

    Small arrays (malloc serves them without faults) and other Pythons (no
    exact reference counts) get plain ``np.empty``.
    """

    MIN_BYTES = 1 << 16       # smaller requests: np.empty
    MAX_FREE = 512 << 20      # bytes kept in blocks; past it the oldest are let go

    def __init__(self):
        self._blocks: list[np.ndarray] = []
        self._lock = threading.Lock()
        self.enabled = sys.implementation.name == "cpython" and getattr(sys, "_is_gil_enabled", lambda: True)()

    def empty(self, shape, dtype) -> np.ndarray:
        dtype = np.dtype(dtype)
        shape = tuple(int(n) for n in (shape if isinstance(shape, tuple) else (shape,)))
        nbytes = math.prod(shape) * dtype.itemsize
        if not self.enabled or nbytes < self.MIN_BYTES:
            return np.empty(shape, dtype)
        with self._lock:
            blocks = self._blocks
            for i in range(len(blocks) - 1, -1, -1):
                # 2 references: the list's and getrefcount's argument
                if nbytes <= blocks[i].nbytes <= nbytes + nbytes // 4 and sys.getrefcount(blocks[i]) == 2:
                    block = blocks.pop(i)
                    break
            else:
                block = np.empty(nbytes, np.uint8)
                total = sum(b.nbytes for b in blocks)
                while blocks and total + nbytes > self.MAX_FREE:
                    total -= blocks.pop(0).nbytes
            blocks.append(block)                 # most recently used last
            return block[:nbytes].view(dtype).reshape(shape)

    def empty_like(self, a: np.ndarray) -> np.ndarray:
        return self.empty(a.shape, a.dtype)


#: The core's one pool (thread-safe).
pool = Pool()


def output_activation(kind: str, logits):
    """ŷ from the head's logits: softmax, sigmoid, or the logits themselves (a copy) for 'linear'."""
    if kind == "softmax":
        return softmax(logits)
    if kind == "sigmoid":
        return sigmoid(logits)
    return logits.copy()
