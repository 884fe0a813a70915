"""One place for names: the notes' symbols, the core's keys, PyTorch's layout.

Core keys and the notes' symbols (seed/DIGEST.md):

=========  ======  =====================================================
key        symbol  meaning
=========  ======  =====================================================
gamma_u    Γu      update gate (the LSTM's input gate i)
gamma_r    Γr      relevance (reset) gate, GRU
gamma_f    Γf      forget gate, LSTM
gamma_o    Γo      output gate, LSTM
c_tilde    c̃       candidate memory c̃<t>
c          c       memory cell c<t> (for GRUs c<t> = a<t>)
a          a       hidden state a<t>
da         ∂L/∂a   gradient flowing back through time to a<t>
=========  ======  =====================================================

Weights: the notes' W_a = [W_aa | W_ax] acting on [a<t-1>, x<t>]; per gate block
the core keeps ``Wh`` = W_aaᵀ (H, G·H) and ``Wx`` = W_axᵀ (D, G·H), so that a
step is ``a @ Wh`` on a batch of rows, and one bias ``b`` (b_ih + b_hh in PyTorch).

PyTorch (torch.nn.RNN / GRU / LSTM), per layer l and direction (``_reverse``):

- weight_ih_l{l} (G·H, D) = Wxᵀ, weight_hh_l{l} (G·H, H) = Whᵀ, with gate
  blocks reordered: LSTM i, f, g, o ↔ Γu, Γf, c̃, Γo (core order Γu, Γf, Γo, c̃);
  GRU r, z, n ↔ Γr, 1 − Γu, c̃.
- PyTorch's GRU update gate z is the notes' 1 − Γu. Since 1 − σ(s) = σ(−s),
  the z rows are negated on the way in: Γu = σ(−(W_iz x + b_iz + W_hz h + b_hz)).
- PyTorch's GRU applies the reset gate after the product (the core's
  ``reset_after=True``); b_hn stays separate as ``bhn``.
"""
from __future__ import annotations

import numpy as np

def param_name(part: str, layer: int, direction: int, name: str = "") -> str:
    """The key of one recurrent layer's array: ``rnn.l0.fwd.Wx`` for part rnn / enc / dec,
    layer l, direction 0 (fwd, →) or 1 (bwd, ←) and name Wx / Wh / b / bhn (or a trace key);
    name '' gives the prefix ``rnn.l0.fwd.``."""
    return f"{part}.l{layer}.{'bwd' if direction else 'fwd'}.{name}"


def gate_norms(named: dict, config, cell_gates, part="rnn", layer=0, direction=0) -> dict:
    """‖·‖ of each gate's block of Wx, Wh and b (the notes' W_· = [W_·a | W_·x], b_·) → {gate: norm}."""
    base = param_name(part, layer, direction)
    H = config.hidden_size if part != "dec" else config.features
    out = {}
    for i, g in enumerate(cell_gates):
        sq = 0.0
        for k in ("Wx", "Wh", "b"):
            v = named.get(base + k)
            if v is not None:
                sq += float(np.sum(np.square(np.asarray(v)[..., i * H:(i + 1) * H])))
        if g == "c_tilde" and base + "bhn" in named:
            sq += float(np.sum(np.square(named[base + "bhn"])))
        out[g] = float(np.sqrt(sq))
    return out


SYMBOLS = {
    "gamma_u": "Γu", "gamma_r": "Γr", "gamma_f": "Γf", "gamma_o": "Γo",
    "c_tilde": "c̃", "c": "c", "a": "a", "da": "∂L/∂a",
}

# position of each PyTorch gate block in the core's order
_TORCH_TO_CORE = {"lstm": [0, 1, 3, 2], "gru": [0, 1, 2], "rnn": [0]}
_TORCH_GATES = {"lstm": 4, "gru": 3, "rnn": 1}


def _blocks(a, G):
    return np.split(np.asarray(a), G, axis=0)


def torch_to_core(kind: str, w_ih, w_hh, b_ih, b_hh) -> dict[str, np.ndarray]:
    """One layer direction of PyTorch's weights → the core's Wx, Wh, b (, bhn).

    kind: 'rnn', 'gru' or 'lstm'.
    """
    G = _TORCH_GATES[kind]
    order = _TORCH_TO_CORE[kind]
    wi, wh, bi, bh = (_blocks(a, G) for a in (w_ih, w_hh, b_ih, b_hh))
    sign = [1, -1, 1] if kind == "gru" else [1] * G
    pick = lambda blocks: [sign[g] * blocks[g] for g in np.argsort(order)]  # noqa: E731
    out = {"Wx": np.concatenate(pick(wi)).T.copy(), "Wh": np.concatenate(pick(wh)).T.copy()}
    if kind == "gru":
        out["b"] = np.concatenate([bi[0] + bh[0], -(bi[1] + bh[1]), bi[2]])
        out["bhn"] = np.array(bh[2])
    else:
        out["b"] = np.concatenate(pick([x + y for x, y in zip(bi, bh)]))
    return out


def core_to_torch(kind: str, p: dict) -> dict[str, np.ndarray]:
    """Inverse of :func:`torch_to_core` (b goes to bias_ih, bias_hh gets zeros,
    but for the GRU's b_hn). Also maps gradients: ∂/∂bias_hh of the folded
    blocks equals ∂/∂b, which :func:`core_grads_to_torch` fills in."""
    G = _TORCH_GATES[kind]
    order = _TORCH_TO_CORE[kind]
    H = p["Wh"].shape[0]
    sign = [1, -1, 1] if kind == "gru" else [1] * G
    blocks = lambda a: [sign[g] * a[..., order[g] * H:(order[g] + 1) * H] for g in range(G)]  # noqa: E731
    w_ih = np.concatenate(blocks(p["Wx"]), axis=-1).T.copy()
    w_hh = np.concatenate(blocks(p["Wh"]), axis=-1).T.copy()
    b_ih = np.concatenate(blocks(p["b"]))
    b_hh = np.zeros_like(b_ih)
    if kind == "gru":
        b_hh[2 * H:] = p["bhn"]
    return {"weight_ih": w_ih, "weight_hh": w_hh, "bias_ih": b_ih, "bias_hh": b_hh}


def core_grads_to_torch(kind: str, g: dict) -> dict[str, np.ndarray]:
    """Gradients of the core's parameters expressed as PyTorch's gradients."""
    out = core_to_torch(kind, g)
    if kind == "gru":
        H = g["Wh"].shape[0]
        out["bias_hh"][:2 * H] = out["bias_ih"][:2 * H]
    else:
        out["bias_hh"] = out["bias_ih"].copy()
    return out
