"""Models for every sequence shape of the notes (§1), built from a ModelConfig.

Parameters live in one flat dict ``Model.params`` (name → array); arrays are
only ever written in place, so the views layers hold stay valid. Names:

- ``embed.E`` (V, E) embedding (when ``embedding_dim`` > 0)
- ``rnn.l{l}.{fwd|bwd}.{Wx|Wh|b|bhn}`` recurrent layers (``enc.``/``dec.`` for
  encoder-decoder); W_a = [W_aa | W_ax] of the notes is [Whᵀ | Wxᵀ] per gate block
- ``head.W`` (F, O), ``head.b`` (O,): ŷ<t> = g(W_ya a<t> + b_y), W_ya = head.Wᵀ

States at the boundary are PyTorch's: ``h0`` / ``c0`` in and ``Pass.h_n`` /
``Pass.c_n`` out are (L·D, N, H), row l·D + d for layer l and direction d
(0: →, 1: ←); c exists for the LSTM only. With lengths, → h_n is the state at
each sequence's own last step and ← starts there from h0 (as a packed
sequence); the top layer's a<t> at padded steps is 0 where it reaches the head
(PyTorch's ``pad_packed_sequence``), so ŷ<t> there is g(b_y).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .cells import make_cell
from .config import ModelConfig
from .data import Batch
from .functional import add_rows_at, output_activation
from .heads import HEADS
from .inputs import InputError, _array, _finite, check_batch, prepare_inputs, prepare_targets
from .layers import Stack
from .losses import LOSSES, reduce
from .naming import param_name
from .trace import Trace, build_trace


class Pass(NamedTuple):
    """Everything one forward pass computed (time-major), for backward and trace."""
    logits: np.ndarray           # (T_y, N, O)
    enc: tuple                   # (Stack cache, top output) of the encoder / only stack
    dec: tuple | None            # (Stack cache, top output) of the decoder
    X: np.ndarray                # network input after embedding (T, N, D) or ids
    tokens: np.ndarray | None    # (T, N) ids when the input is tokens
    mask: np.ndarray | None      # (T, N, 1) input mask
    lengths: np.ndarray          # (N,) T_x(i)
    finals: list | None = None   # [l][d] (a, c): final states of the encoder / only stack
    feats: np.ndarray | None = None  # (T_y, N, F) what the output layer read (see rnncore.heads)

    @property
    def h_n(self) -> np.ndarray:
        """Final a of every layer and direction, (L·D, N, H) as PyTorch's h_n."""
        return np.stack([a for row in self.finals for a, _ in row])

    @property
    def c_n(self) -> np.ndarray | None:
        """Final c (LSTM), (L·D, N, H) as PyTorch's c_n; None for other cells."""
        cs = [c for row in self.finals for _, c in row]
        return None if cs[0] is None else np.stack(cs)


class Result(NamedTuple):
    """Loss and gradients of one batch."""
    loss: float                  # L = Σ_t L<t>
    per_step: np.ndarray         # (T_y,) L<t>
    per_example: np.ndarray      # (T_y, N) L<t>(i)
    grads: dict                  # name → ∂L/∂param, same keys as Model.params
    flows: dict                  # part → [l][d] (T, N, H) ∂L/∂a<t>
    dx: np.ndarray | None        # ∂L/∂x for float inputs (batch-first, like x)
    fwd: Pass
    dh0: np.ndarray | None = None    # ∂L/∂h0 (L·D, N, H)
    dc0: np.ndarray | None = None    # ∂L/∂c0 (LSTM)


class Model:
    def __init__(self, config: ModelConfig, rng: np.random.Generator | int | None = 0):
        self.config = config
        self.dtype = np.dtype(config.dtype)
        c = config
        self.cell = make_cell(c)
        self.head = HEADS[c.shape]()
        rng = np.random.default_rng(rng)
        self.params: dict[str, np.ndarray] = {}
        if c.vocab_size and c.embedding_dim:
            self._add("embed.E", rng.standard_normal((c.vocab_size, c.embedding_dim)))
        self.parts = {}
        self.head.build(self, c.embedding_dim or c.vocab_size or c.input_size, rng)
        F = c.features
        k = 1.0 / np.sqrt(F)
        self._add("head.W", rng.uniform(-k, k, (F, c.output_size)))
        self._add("head.b", rng.uniform(-k, k, (c.output_size,)))

    # -- construction --------------------------------------------------------
    def _add(self, name, value):
        self.params[name] = np.ascontiguousarray(value, dtype=self.dtype)

    def _stack(self, prefix, H, d_in, bidirectional, rng):
        c = self.config
        cell_cfg = c if H == c.hidden_size else _with_hidden(c, H)
        stack = Stack(lambda: make_cell(cell_cfg), c.num_layers, bidirectional)
        k = 1.0 / np.sqrt(H)
        views = []
        for l, dirs in enumerate(stack.layers):
            D = d_in if l == 0 else H * len(dirs)
            row = []
            for d, layer in enumerate(dirs):
                base = param_name(prefix, l, d)
                for name, shape in layer.cell.param_shapes(D).items():
                    self._add(base + name, rng.uniform(-k, k, shape))
                row.append({n: self.params[base + n] for n in layer.cell.param_shapes(D)})
            views.append(row)
        return stack, views, prefix

    # -- forward -------------------------------------------------------------
    def forward(self, x, lengths=None, y=None, h0=None, c0=None) -> Pass:
        """Forward pass on batch-first inputs; y is needed (teacher forcing) by
        one-to-many and encoder-decoder models. h0 (and c0, LSTM) start the
        (encoder's) stack, (L·D, N, H); None is zero. The final states are
        ``Pass.h_n`` / ``Pass.c_n``."""
        X, tokens, mask, lengths = prepare_inputs(self, x, lengths)
        states0 = self._states0(h0, c0, len(lengths))
        if tokens is not None and "embed.E" in self.params:
            X = self.params["embed.E"][tokens]
        feed_tokens = tokens is not None and "embed.E" not in self.params
        X = self.head.stack_inputs(self, X, y)
        stack, P, _ = self.parts["enc" if "enc" in self.parts else "rnn"]
        top, finals, scache = stack.forward(P, X, mask, states0, tokens=feed_tokens)
        feats, dec = self.head.features(self, top, finals, mask, y)
        logits = feats @ self.params["head.W"] + self.params["head.b"]
        return Pass(logits, (scache, top), dec, X, tokens, mask, lengths, finals, feats)

    def _states0(self, h0, c0, N):
        """PyTorch's h0 / c0 (L·D, N, H) → the stack's [l][d] (a, c), or None for zeros."""
        c = self.config
        if c0 is not None and c.cell != "lstm":
            raise InputError(f"c0 is the LSTM's initial memory cell; cell {c.cell!r} has none (give h0 only)")
        if h0 is None and c0 is None:
            return None
        D = 2 if c.bidirectional else 1
        want = (c.num_layers * D, N, c.hidden_size)
        arrays = []
        for name, s in (("h0", h0), ("c0", c0)):
            if s is not None:
                s = _array(name, s)
                if s.shape != want:
                    raise InputError(f"{name} must have shape (layers × directions, N, H) = {want}, got {s.shape}")
                _finite(name, s)
                s = s.astype(self.dtype)
            arrays.append(s)
        pick = lambda s, i: None if s is None else s[i]  # noqa: E731
        return [[(pick(arrays[0], l * D + d), pick(arrays[1], l * D + d)) for d in range(D)]
                for l in range(c.num_layers)]

    # -- loss and backward ---------------------------------------------------
    def forward_loss(self, batch: Batch):
        """Forward and per-timestep loss, no backward:
        → (Pass, (L, L<t> (T_y,), L<t>(i) (T_y, N), ∂L/∂logits))."""
        check_batch(self, batch)
        fwd = self.forward(batch.x, batch.x_lengths, batch.y, batch.h0, batch.c0)
        Y, ymask = prepare_targets(self, batch, fwd)
        elem, dz = LOSSES[self.config.output](fwd.logits, Y)
        return fwd, reduce(elem, dz, ymask, self.config.loss_reduction)

    def loss(self, batch: Batch) -> float:
        """L = Σ_t L<t> of a batch (forward only)."""
        return self.forward_loss(batch)[1][0]

    def loss_and_grads(self, batch: Batch) -> Result:
        """Forward, per-timestep loss and exact backpropagation through time."""
        fwd, (loss, per_step, per_example, dlogits) = self.forward_loss(batch)
        grads, flows, dx, ds0 = self._backward(fwd, dlogits)
        dh0 = np.stack([da for row in ds0 for da, _ in row])
        dc0 = np.stack([dc for row in ds0 for _, dc in row]) if self.config.cell == "lstm" else None
        return Result(loss, per_step, per_example, grads, flows, dx, fwd, dh0, dc0)

    def backward(self, fwd: Pass, dlogits):
        """→ (grads, flows, dx) for ∂L/∂logits = dlogits (T_y, N, O)."""
        return self._backward(fwd, dlogits)[:3]

    def _backward(self, fwd: Pass, dlogits):
        """→ (grads, flows, dx, ∂L/∂ initial states [l][d] (da, dc))."""
        p, feats = self.params, fwd.feats
        O = dlogits.shape[-1]
        grads = {"head.W": feats.reshape(-1, feats.shape[-1]).T @ dlogits.reshape(-1, O),
                 "head.b": dlogits.reshape(-1, O).sum(axis=0)}
        flows = {}
        dtop, dfinals = self.head.backward(self, fwd, dlogits @ p["head.W"].T, grads, flows)
        enc_name = "enc" if "enc" in self.parts else "rnn"
        stack, P, prefix = self.parts[enc_name]
        need_dx = fwd.tokens is None or "embed.E" in p
        dX, ds0, g, fl = stack.backward(P, dtop, fwd.enc[0], dfinals, need_dx=need_dx)
        self._collect(grads, g, prefix)
        flows[enc_name] = fl
        dx = None
        if "embed.E" in p:
            gE = np.zeros_like(p["embed.E"])
            add_rows_at(gE, fwd.tokens, dX.reshape(-1, dX.shape[-1]))
            grads["embed.E"] = gE
        elif fwd.tokens is None:
            dx = self.head.input_grad(self, fwd, dX)
        return {k: grads[k] for k in p}, flows, dx, ds0

    @staticmethod
    def _collect(grads, g, prefix):
        for l, row in enumerate(g):
            for d, gd in enumerate(row):
                base = param_name(prefix, l, d)
                for n, v in gd.items():
                    grads[base + n] = v

    # -- inspection ----------------------------------------------------------
    def trace(self, batch: Batch, with_gradients: bool = True) -> Trace:
        """Every internal of a pass on ``batch``: gates, c̃, c, a per layer and
        direction, outputs, per-timestep losses and (optionally) ∂L/∂a<t>."""
        check_batch(self, batch, need_targets=with_gradients)
        if with_gradients:
            res = self.loss_and_grads(batch)
            return build_trace(self, res.fwd, res.per_example, res.flows)
        fwd = self.forward(batch.x, batch.x_lengths, batch.y, batch.h0, batch.c0)
        return build_trace(self, fwd, None, None)

    def predict(self, x, lengths=None, y=None, h0=None, c0=None) -> np.ndarray:
        """ŷ batch-first: probabilities (softmax/sigmoid) or values (linear)."""
        logits = self.forward(x, lengths, y, h0, c0).logits
        return _squeeze_steps(self, output_activation(self.config.output, logits).transpose(1, 0, 2))

    def num_parameters(self) -> int:
        return sum(v.size for v in self.params.values())

    def state_dict(self) -> dict[str, np.ndarray]:
        return {k: v.copy() for k, v in self.params.items()}

    def load_state_dict(self, state: dict[str, np.ndarray]) -> None:
        """Copy arrays in (never replace them); every key and shape checked first."""
        missing = sorted(set(self.params) - set(state))
        extra = sorted(set(state) - set(self.params))
        if missing or extra:
            raise ValueError(f"weights do not match the model: missing {missing or 'none'}, unexpected {extra or 'none'}")
        for k, v in self.params.items():
            a = np.asarray(state[k])
            if a.shape != v.shape:
                raise ValueError(f"weight {k!r} has shape {a.shape}, the model needs {v.shape}")
            if a.dtype.kind not in "iuf" or not np.all(np.isfinite(a)):
                raise ValueError(f"weight {k!r} must hold finite real numbers, got dtype {a.dtype}")
        for k, v in self.params.items():
            np.copyto(v, state[k], casting="unsafe")


def _squeeze_steps(model, yb):
    return yb[:, 0] if model.head.per_sequence else yb


def _with_hidden(config, H):
    from dataclasses import replace
    return replace(config, hidden_size=H, bidirectional=False, shape="many-to-many")
