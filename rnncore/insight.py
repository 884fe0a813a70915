"""Analyses the app offers beyond plotting: saturation, influence, PCA paths,
unit ranking and ablation, and a gradient check any user can run.

All work on a Model and rnncore's Trace; none needs Qt.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from .data import Batch
from .model import Model
from .naming import param_name

SIGMOID_GATES = ("gamma_u", "gamma_r", "gamma_f", "gamma_o")


# -- gate saturation (Karpathy, Johnson & Fei-Fei 2015) ----------------------
def saturation(trace, lo: float = 0.1, hi: float = 0.9) -> dict:
    """Per unit, the fraction of valid steps each σ gate is left- (< lo) or
    right-saturated (> hi), over every example in the trace.

    → {(part, l, d, gate): (left (H,), right (H,))}
    """
    out = {}
    for part, layers in trace.parts.items():
        for l, row in enumerate(layers):
            for d, keys in enumerate(row):
                for gate in SIGMOID_GATES:
                    if gate not in keys:
                        continue
                    g = keys[gate]                                     # (T, N, H)
                    valid = _valid_mask(g.shape[0], trace.lengths if part != "dec" else None)
                    n = max(valid.sum(), 1)
                    left = ((g < lo) & valid[..., None]).sum(axis=(0, 1)) / n
                    right = ((g > hi) & valid[..., None]).sum(axis=(0, 1)) / n
                    out[(part, l, d, gate)] = (left, right)
    return out


def _valid_mask(T, lengths):
    if lengths is None:
        return np.ones((T, 1), bool)
    return np.arange(T)[:, None] < np.asarray(lengths)[None, :]


# -- hidden-state trajectory ---------------------------------------------------
def pca_fit(states: np.ndarray, k: int = 2):
    """Fit PCA on rows of ``states`` (M, H) → (mean (H,), components (k, H), explained (k,))."""
    X = np.asarray(states, float)
    mean = X.mean(axis=0)
    U, S, Vt = np.linalg.svd(X - mean, full_matrices=False)
    var = S ** 2
    explained = var[:k] / max(var.sum(), 1e-300)
    comps = Vt[:k]
    if comps.shape[0] < k:                                   # fewer samples than k: pad with zeros
        comps = np.vstack([comps, np.zeros((k - comps.shape[0], X.shape[1]))])
        explained = np.concatenate([explained, np.zeros(k - len(explained))])
    return mean, comps, explained


def pca_project(states, mean, components):
    return (np.asarray(states, float) - mean) @ components.T


# -- influence of earlier inputs (Distill, "Visualizing memorization in RNNs") --
def influence(model: Model, example: Batch) -> np.ndarray:
    """‖∂ŷ<t>/∂x<t'>‖ for one example → (T_y, T_x).

    ŷ<t> is the logit of the predicted class (softmax) or of each output summed
    over outputs (sigmoid, linear: one backward pass per output). Token inputs
    are differentiated as their one-hot vectors (or embeddings).
    """
    twin, x = float_twin(model, example)
    cfg = twin.config
    fwd = twin.forward(x, example.x_lengths, example.y)
    T_y, _, O = fwd.logits.shape
    T_x = x.shape[1] if x.ndim == 3 else 1
    out = np.zeros((T_y, T_x))
    for t in range(T_y):
        outs = [int(np.argmax(fwd.logits[t, 0]))] if cfg.output == "softmax" else range(O)
        sq = np.zeros(T_x)
        for k in outs:
            d = np.zeros_like(fwd.logits)
            d[t, 0, k] = 1.0
            _, _, dx = twin.backward(fwd, d)
            dx = dx[0] if dx.ndim == 3 else dx
            sq += (np.asarray(dx).reshape(T_x, -1) ** 2).sum(axis=-1)
        out[t] = np.sqrt(sq)
    return out


def float_twin(model: Model, example: Batch):
    """A float64 model with float inputs computing exactly what ``model`` does on
    ``example``, and the example's inputs as floats (one-hot or embedded)."""
    c = model.config
    state = model.state_dict()
    x = np.asarray(example.x)
    if c.vocab_size:
        if c.embedding_dim:
            x = state.pop("embed.E")[x]
            d_in = c.embedding_dim
        else:
            x = np.eye(c.vocab_size)[x]
            d_in = c.vocab_size
        cfg = replace(c, vocab_size=0, embedding_dim=0, input_size=d_in, dtype="float64")
    else:
        cfg = replace(c, dtype="float64")
    twin = Model(cfg, 0)
    twin.load_state_dict(state)
    return twin, x.astype(np.float64)


# -- units: ranking, ablation and clamping (Lakretz et al. 2019) ---------------
def rank_units(values: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """How well each unit predicts a binary variable: |point-biserial correlation|.

    values (M, H) — e.g. c<t> at the verb for M examples; labels (M,) in {0, 1}.
    → score (H,) in [0, 1]; sort descending to rank.
    """
    v = np.asarray(values, float)
    y = np.asarray(labels, float)
    vc = v - v.mean(axis=0)
    yc = y - y.mean()
    denom = np.sqrt((vc ** 2).sum(axis=0) * (yc ** 2).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (vc * yc[:, None]).sum(axis=0) / denom
    return np.nan_to_num(np.abs(r))


def ablated(model: Model, units, layer: int = 0, direction: int = 0, part: str | None = None,
            value: float = 0.0) -> Model:
    """A copy of ``model`` in which unit(s) of a[layer]<t> read as ``value`` for
    every consumer (the next step, the layer above, the head), from a<0> on: the
    unit is ablated (value 0) or clamped. Done through weights, so it is exact and the
    core needs no hooks: the unit's outgoing weights are zeroed and value × those
    weights added to the consumers' biases. (Its own state may still evolve, but
    nothing reads it.) Limits: the notes' GRU multiplies a<t-1> by Γr before the
    product, so it can be ablated but not clamped; an encoder's top layer also
    feeds the decoder's initial state, which keeps seeing the unit.
    """
    c = model.config
    part = part or ("enc" if "enc" in model.parts else "rnn")
    H = c.features if part == "dec" else c.hidden_size
    dirs = 1 if part == "dec" or not c.bidirectional else 2
    if not (0 <= layer < c.num_layers and 0 <= direction < dirs):
        raise ValueError(f"no layer {layer}, direction {direction} in this model")
    units = np.atleast_1d(np.asarray(units, int))
    if units.size and (units.min() < 0 or units.max() >= H):
        raise ValueError(f"units must be in [0, {H}), got {units.tolist()}")
    if value != 0 and c.cell == "gru" and not c.reset_after:
        raise ValueError("the notes' GRU applies Γr before the product: its units can be ablated (0), not clamped")
    copy = Model(c, 0)
    copy.load_state_dict(model.state_dict())
    p = copy.params

    def cut(W, b, rows, bhn=None):
        add = value * W[rows].sum(axis=0)
        W[rows] = 0
        if bhn is None:
            b += add
        else:                       # the reset-after GRU's candidate block has its own bias b_cc
            Hn = bhn.shape[0]
            b[:-Hn] += add[:-Hn]
            bhn += add[-Hn:]

    base = param_name(part, layer, direction)
    cut(p[base + "Wh"], p[base + "b"], units, p.get(base + "bhn"))       # the next step
    rows = units + direction * H                                        # place in [→a, ←a]
    if layer + 1 < c.num_layers:                                        # the layer above
        for d2 in range(dirs):
            above = param_name(part, layer + 1, d2)
            cut(p[above + "Wx"], p[above + "b"], rows)
    elif part != "enc":                                                 # the head
        cut(p["head.W"], p["head.b"], rows)
    return copy


# -- gradient check ------------------------------------------------------------
#: gradient norms below this count as "about zero" in the gradient check's relative error: central
#: differences in float64 (eps = 1e-5) are good to ~1e-10 absolute (measured on a trained names
#: LSTM: ‖num − ana‖ = 1.1e-10 for ‖ana‖ = 3.6e-6), so a vanishing gradient must not read as a failing one
GRADCHECK_FLOOR = 1e-3


def rel_error(num: np.ndarray, ana: np.ndarray, floor: float = GRADCHECK_FLOOR) -> float:
    """‖num − ana‖ / max(‖num‖ + ‖ana‖, floor): cs231n's rel_error over a whole parameter,
    meaningful when a trained model's gradients are tiny (the floor) and never above 1."""
    return float(np.linalg.norm(num - ana) / max(np.linalg.norm(num) + np.linalg.norm(ana), floor))


def gradient_check(model: Model, batch: Batch, max_entries: int = 40, eps: float = 1e-5,
                   rng: np.random.Generator | None = None, floor: float = GRADCHECK_FLOOR) -> dict[str, float]:
    """Central differences in float64, on a float64 copy of ``model``, on up to ``max_entries``
    entries of every parameter → {name: :func:`rel_error` of numeric vs backprop gradients}."""
    rng = np.random.default_rng(0) if rng is None else rng
    twin = Model(replace(model.config, dtype="float64"), 0)
    twin.load_state_dict({k: np.asarray(v, np.float64) for k, v in model.state_dict().items()})
    grads = twin.loss_and_grads(batch).grads
    out = {}
    for name, p in twin.params.items():
        flat = p.reshape(-1)
        idx = rng.choice(flat.size, size=min(max_entries, flat.size), replace=False)
        num = np.empty(len(idx))
        for j, i in enumerate(idx):
            old = flat[i]
            flat[i] = old + eps
            lp = twin.loss(batch)
            flat[i] = old - eps
            lm = twin.loss(batch)
            flat[i] = old
            num[j] = (lp - lm) / (2 * eps)
        out[name] = rel_error(num, np.asarray(grads[name], np.float64).reshape(-1)[idx], floor)
    return out
