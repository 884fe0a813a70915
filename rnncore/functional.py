"""Numerically stable elementwise functions, written to work in place.

In-place forms (trailing underscore) exist because at the app's sizes a training
step is bound by per-call overhead and allocation, not arithmetic (DESIGN.md).
"""
from __future__ import annotations

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


def activation_grad_(name: str, y: np.ndarray, dy: np.ndarray, out: np.ndarray) -> np.ndarray:
    """out = dy · g'(x), with g' written in terms of the output y = g(x)."""
    if name == "tanh":          # tanh' = 1 − y²
        np.multiply(y, y, out=out)
        np.subtract(1, out, out=out)
    elif name == "sigmoid":     # σ' = y(1 − y)
        np.subtract(1, y, out=out)
        out *= y
    else:                       # relu' = [y > 0]
        np.greater(y, 0, out=out, casting="unsafe")
    out *= dy
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


def softplus(z: np.ndarray) -> np.ndarray:
    """log(1 + eᶻ) = max(z, 0) + log1p(e^−|z|), stable at any z."""
    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))
