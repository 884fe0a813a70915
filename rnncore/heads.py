"""Output heads: one per sequence shape of the notes (§1).

A head says what the linear output layer ŷ<t> = g(W_ya a<t> + b_y) reads (the
features) and how ∂L/∂features flows back to the stack: every a<t>
(many-to-many), the last a (many-to-one, one-to-one), a<t> of a stack fed its
own previous outputs (one-to-many), or a decoder's a<t> (encoder-decoder).
:class:`~rnncore.model.Model` holds one and never branches on the shape.

Methods, on time-major arrays (T, N, ·):

``stack_inputs(model, X, y)``
    what the (encoder's or only) stack reads, X after embedding.
``features(model, top, finals, mask, y)``
    → (features (T_y, N, F), decoder (cache, top) or None), from the stack's top
    output and final states.
``backward(model, fwd, dfeats, grads, flows)``
    → (∂L/∂top or None, ∂L/∂ final states [l][d] or None); a decoder's own
    gradients and flows go into ``grads`` and ``flows``.
``input_grad(model, fwd, dX)``
    ∂L/∂x for float inputs, batch-first like x, from the stack's dX.
"""
from __future__ import annotations

import numpy as np

from .inputs import InputError, target_ids


class ManyToMany:
    """ŷ<t> from a<t> at every step; padded steps output g(b_y), as pad_packed_sequence."""
    per_sequence = False          # one ŷ per sequence (the targets have no time axis)

    def build(self, model, d_in, rng):
        c = model.config
        model.parts["rnn"] = model._stack("rnn", c.hidden_size, d_in, c.bidirectional, rng)

    def stack_inputs(self, model, X, y):
        return X

    def features(self, model, top, finals, mask, y):
        return (top if mask is None else top * mask), None

    def backward(self, model, fwd, dfeats, grads, flows):
        return (dfeats if fwd.mask is None else dfeats * fwd.mask), None

    def input_grad(self, model, fwd, dX):
        dx = dX.transpose(1, 0, 2)
        return dx if fwd.mask is None else dx * fwd.mask.transpose(1, 0, 2)


class ManyToOne(ManyToMany):
    """ŷ from the last a: → a at T_x(i) and ← a at step 1, joined (§1, many-to-one)."""
    per_sequence = True

    def features(self, model, top, finals, mask, y):
        H = model.config.hidden_size
        last = top[-1] if top.shape[-1] == H else np.concatenate([top[-1, :, :H], top[0, :, H:]], axis=-1)
        return last[None], None

    def backward(self, model, fwd, dfeats, grads, flows):
        top, H = fwd.enc[1], model.config.hidden_size
        dtop = np.zeros_like(top)
        dtop[-1, :, :H] = dfeats[0, :, :H]
        if top.shape[-1] > H:
            dtop[0, :, H:] = dfeats[0, :, H:]
        return dtop, None


class OneToOne(ManyToOne):
    """One step: x (N, D) in, one ŷ out."""

    def input_grad(self, model, fwd, dX):
        return dX[0]


class OneToMany(ManyToMany):
    """x<1> = [x, 0], then x<t> = [0, one-hot y<t-1>] (teacher forcing); ŷ<t> at every step."""

    def build(self, model, d_in, rng):
        c = model.config
        super().build(model, c.input_size + c.output_size, rng)

    def stack_inputs(self, model, X, y):
        return feedback_inputs(model, y, start=X[0])

    def input_grad(self, model, fwd, dX):
        return dX[0, :, :model.config.input_size].copy()


class EncoderDecoder(ManyToMany):
    """The encoder's final states start a decoder fed its previous outputs; ŷ<t> from the decoder's a<t>."""

    def build(self, model, d_in, rng):
        c = model.config
        model.parts["enc"] = model._stack("enc", c.hidden_size, d_in, c.bidirectional, rng)
        model.parts["dec"] = model._stack("dec", c.features, c.output_size, False, rng)

    def features(self, model, top, finals, mask, y):
        stack, params, _ = model.parts["dec"]
        states0 = [[_join_states(f)] for f in finals]
        dtop, _, dcache = stack.forward(params, feedback_inputs(model, y), None, states0)
        return dtop, (dcache, dtop)

    def backward(self, model, fwd, dfeats, grads, flows):
        stack, params, prefix = model.parts["dec"]
        _, dec_s0, g, fl = stack.backward(params, dfeats, fwd.dec[0], need_dx=False)
        model._collect(grads, g, prefix)
        flows["dec"] = fl
        H, D = model.config.hidden_size, model.parts["enc"][0].directions
        return None, [_split_states(s[0], H, D) for s in dec_s0]


HEADS = {"many-to-many": ManyToMany, "many-to-one": ManyToOne, "one-to-one": OneToOne,
         "one-to-many": OneToMany, "encoder-decoder": EncoderDecoder}


def feedback_inputs(model, y, start=None):
    """Decoder inputs x<t> = [start vector at t = 1, one-hot y<t-1>] (T_y, N, ·).

    As in the notes' language model, x<1> carries no previous output.
    """
    c = model.config
    if y is None:
        raise InputError(f"shape {c.shape!r} needs targets y for teacher forcing; use generate() to run freely")
    y = target_ids(y, c.output_size)
    N, T = y.shape[:2]
    S = 0 if start is None else start.shape[-1]
    X = np.zeros((T, N, S + c.output_size), model.dtype)
    if start is not None:
        X[0, :, :S] = start
    if T > 1:
        t_idx, n_idx = np.meshgrid(np.arange(1, T), np.arange(N), indexing="ij")
        X[t_idx, n_idx, S + y.T[:-1]] = 1
    return X


def _join_states(finals_of_layer):
    """Decoder's initial state of one layer: [→a, ←a] (and [→c, ←c])."""
    if len(finals_of_layer) == 1:
        return finals_of_layer[0]
    (af, cf), (ab, cb) = finals_of_layer
    c = None if cf is None else np.concatenate([cf, cb], axis=-1)
    return np.concatenate([af, ab], axis=-1), c


def _split_states(ds, H, directions):
    da, dc = ds
    if directions == 1:
        return [(da, dc)]
    return [(da[:, :H], None if dc is None else dc[:, :H]),
            (da[:, H:], None if dc is None else dc[:, H:])]
