"""Gradient clipping (the notes' fix for exploding gradients) and optimizers.

Optimizers update parameters in place and keep their state in plain dicts of
arrays (``opt.state``), visible to the app and saved with a run.
"""
from __future__ import annotations

import math

import numpy as np


def global_norm(grads: dict) -> float:
    """‖g‖ over every parameter together."""
    return math.sqrt(sum(float(np.vdot(g, g)) for g in grads.values()))


def clip_by_norm(grads: dict, max_norm: float) -> tuple[float, float]:
    """Rescale all gradients together so their global norm is at most max_norm.

    Returns (norm before, norm after), like torch's clip_grad_norm_ returns the
    norm before. A non-finite norm is returned as is and nothing is scaled.
    """
    before = global_norm(grads)
    if not math.isfinite(before) or before <= max_norm:
        return before, before
    scale = max_norm / before
    for g in grads.values():
        g *= scale
    return before, global_norm(grads)


def clip_by_value(grads: dict, limit: float) -> int:
    """Clamp every entry to [−limit, limit]; returns how many entries were clipped."""
    n = 0
    for g in grads.values():
        n += int(np.count_nonzero(np.abs(g) > limit))
        np.clip(g, -limit, limit, out=g)
    return n


class SGD:
    """p ← p − α v, v ← μ v + g (PyTorch's momentum convention; μ = 0 is plain SGD)."""

    def __init__(self, params: dict, lr: float, momentum: float = 0.0):
        self.params, self.lr, self.momentum = params, lr, momentum
        self.state = {"step": 0, "v": {k: np.zeros_like(v) for k, v in params.items()}}

    def step(self, grads: dict) -> None:
        self.state["step"] += 1
        for k, p in self.params.items():
            g = grads[k]
            if self.momentum:
                v = self.state["v"][k]
                v *= self.momentum
                v += g
                g = v
            p -= self.lr * g


class Adam:
    """Adam (Kingma & Ba 2015) with bias correction, as torch.optim.Adam."""

    def __init__(self, params: dict, lr: float, beta1=0.9, beta2=0.999, eps=1e-8):
        self.params, self.lr, self.beta1, self.beta2, self.eps = params, lr, beta1, beta2, eps
        self.state = {"step": 0,
                      "m": {k: np.zeros_like(v) for k, v in params.items()},
                      "v": {k: np.zeros_like(v) for k, v in params.items()}}
        self._tmp = {k: np.empty_like(v) for k, v in params.items()}

    def step(self, grads: dict) -> None:
        s = self.state
        s["step"] += 1
        t, b1, b2 = s["step"], self.beta1, self.beta2
        step_size = self.lr / (1 - b1 ** t)
        root_c2 = math.sqrt(1 - b2 ** t)
        for k, p in self.params.items():
            g, m, v, tmp = grads[k], s["m"][k], s["v"][k], self._tmp[k]
            m *= b1
            m += (1 - b1) * g
            v *= b2
            np.multiply(g, g, out=tmp)
            tmp *= 1 - b2
            v += tmp
            np.sqrt(v, out=tmp)
            tmp /= root_c2
            tmp += self.eps
            np.divide(m, tmp, out=tmp)
            tmp *= step_size
            p -= tmp


def make_optimizer(params: dict, config):
    if config.optimizer == "sgd":
        return SGD(params, config.lr, config.momentum)
    return Adam(params, config.lr, config.beta1, config.beta2, config.eps)


def state_arrays(opt) -> dict[str, np.ndarray]:
    """The optimizer's arrays, flat (for saving and for rollback)."""
    out = {}
    for slot, val in opt.state.items():
        if isinstance(val, dict):
            for k, a in val.items():
                out[f"{slot}.{k}"] = a
    return out
