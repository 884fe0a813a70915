"""Checking and converting what callers hand the model (batch-first → time-major).

Every mistake gets a message naming the argument, the expected shape and what
was given: never a NumPy broadcasting traceback from deep inside a pass.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np


class InputError(ValueError):
    """An input or target array does not fit the model."""


def _array(name, a):
    try:
        arr = np.asarray(a)
    except Exception as e:  # ragged lists and the like
        raise InputError(f"{name} must be a rectangular array of numbers: {e}") from None
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise InputError(f"{name} must hold numbers, got dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise InputError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    return arr


def _finite(name, a):
    if np.issubdtype(a.dtype, np.floating) and not np.all(np.isfinite(a)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(a))[0])
        raise InputError(f"{name} contains NaN or Inf (first at index {bad})")


def _ids(name, a, n):
    if not (np.issubdtype(a.dtype, np.integer) or (np.issubdtype(a.dtype, np.floating) and np.all(a == np.round(a)))):
        raise InputError(f"{name} must hold integer ids in [0, {n}), got dtype {a.dtype}")
    _finite(name, a)
    if a.size and (a.min() < 0 or a.max() >= n):
        raise InputError(f"{name} must hold ids in [0, {n}), got values from {a.min():g} to {a.max():g}")
    return a.astype(np.intp)


def _lengths(name, lengths, N, T):
    lengths = _array(name, lengths)
    if lengths.shape != (N,):
        raise InputError(f"{name} must have shape ({N},), one length per sequence, got {lengths.shape}")
    lengths = _ids(name, lengths, T + 1)
    if lengths.size and lengths.min() < 1:
        raise InputError(f"{name} must be >= 1, got {lengths.min()}")
    return lengths


def prepare_inputs(model, x, lengths=None):
    """→ (X (T, N, D) floats or (T, N) ids, ids or None, mask (T, N, 1) or None, lengths)."""
    c = model.config
    x = _array("x", x)
    if c.shape in ("one-to-one", "one-to-many"):
        if x.ndim != 2 or x.shape[1] != c.input_size:
            raise InputError(f"x must have shape (N, {c.input_size}) for shape {c.shape!r}, got {x.shape}")
        _finite("x", x)
        return x.astype(model.dtype)[None], None, None, np.ones(len(x), np.intp)
    if c.vocab_size:
        if x.ndim != 2:
            raise InputError(f"x must have shape (N, T_x) of token ids for vocab_size={c.vocab_size}, got {x.shape}")
    elif x.ndim != 3 or x.shape[2] != c.input_size:
        raise InputError(f"x must have shape (N, T_x, {c.input_size}) for input_size={c.input_size}, got {x.shape}")
    N, T = x.shape[:2]
    if N == 0 or T == 0:
        raise InputError(f"x must hold at least one sequence of at least one step, got shape {x.shape}")
    mask = None
    if lengths is not None:
        lengths = _lengths("x_lengths", lengths, N, T)
        if lengths.min() < T:
            m = np.arange(T)[:, None] < lengths[None, :]          # (T, N)
            mask = m[..., None].astype(model.dtype)
    else:
        lengths = np.full(N, T, np.intp)
    if c.vocab_size:
        ids = _ids("x", x, c.vocab_size).T.copy()                # (T, N)
        if mask is not None:
            ids[mask[..., 0] == 0] = 0                              # padding may hold anything
        return ids, ids, mask, lengths
    X = np.array(x.transpose(1, 0, 2), dtype=model.dtype)          # (T, N, D), a copy
    if mask is not None:
        X = np.where(mask > 0, X, 0).astype(model.dtype)          # padding may hold anything, even NaN
    _finite("x", X)
    return X, None, mask, lengths


def target_ids(y, n):
    """Teacher-forcing targets (N, T_y) as checked integer ids in [0, n)."""
    y = _array("y", y)
    if y.ndim != 2 or y.shape[1] < 1:
        raise InputError(f"y must have shape (N, T_y) of class ids, got {y.shape}")
    return _ids("y", y, n)


def check_batch(model, batch, need_targets=True):
    """Validate a Batch's targets against the model (inputs are checked on the way in)."""
    c = model.config
    if batch.y is None:
        if need_targets or c.shape in ("one-to-many", "encoder-decoder"):
            raise InputError(f"y (targets) is required for shape {c.shape!r}")
        return
    x = _array("x", batch.x)
    y = _array("y", batch.y)
    if x.ndim == 0:
        raise InputError(f"x must be an array with one row per sequence, got a scalar {x!r}")
    if y.ndim == 0:
        raise InputError(f"y must be an array with one row per sequence, got a scalar {y!r}")
    N = len(x)
    if len(y) != N:
        raise InputError(f"y must have one row per sequence of x: x has {N}, y has {len(y)}")
    per_seq = c.shape in ("many-to-one", "one-to-one")
    if c.shape in ("one-to-many", "encoder-decoder"):
        if y.ndim != 2 or y.shape[1] < 1:
            raise InputError(f"y must have shape (N, T_y) of class ids for shape {c.shape!r}, got {y.shape}")
        _ids("y", y, c.output_size)
        if batch.y_lengths is not None:
            _lengths("y_lengths", batch.y_lengths, N, y.shape[1])
        return
    steps = () if per_seq else (x.shape[1] if x.ndim >= 2 else 0,)
    if c.output == "softmax":
        if y.shape != (N, *steps):
            shown = ", ".join(["N", *map(str, steps)])
            raise InputError(f"y must have shape ({shown}) of class ids, got {y.shape}")
        _ids("y", y, c.output_size)
        return
    want = (N, *steps, c.output_size)
    if y.shape != want and not (c.output_size == 1 and y.shape == want[:-1]):
        shown = ", ".join(["N", *map(str, want[1:])])
        raise InputError(f"y must have shape ({shown}) for output_size={c.output_size}, got {y.shape}")
    _finite("y", y.astype(float))
    if c.output == "sigmoid" and y.size and (y.min() < 0 or y.max() > 1):
        raise InputError(f"y must be in [0, 1] for sigmoid outputs, got values from {y.min():g} to {y.max():g}")


def prepare_targets(model, batch, fwd):
    """→ (Y time-major: (T_y, N) ids or (T_y, N, O) floats, mask (T_y, N) or None)."""
    c = model.config
    y = np.asarray(batch.y)
    if c.shape in ("many-to-one", "one-to-one"):
        y = y[:, None]
    if c.output == "softmax":
        Y = y.astype(np.intp).T
    else:
        Y = y.astype(model.dtype)
        if Y.ndim == 2:
            Y = Y[..., None]
        Y = Y.transpose(1, 0, 2)
    mask = None
    if c.shape == "many-to-many" and fwd.mask is not None:
        mask = fwd.mask[..., 0]
    elif c.shape in ("one-to-many", "encoder-decoder") and batch.y_lengths is not None:
        ylen = np.asarray(batch.y_lengths)
        T = Y.shape[0]
        if ylen.min() < T:
            mask = (np.arange(T)[:, None] < ylen[None, :]).astype(model.dtype)
    return Y, mask


# -- what a user typed -----------------------------------------------------------
@dataclass(frozen=True)
class Reading:
    """A typed text read leniently (the GUI's sentence box): the batch, and what to tell the user.

    Unknown tokens are read as ``oov`` in place (the task's ``<unk>``, or its padding token when
    it has none: a vector the model never learned from either way); pieces the tokenizer skips
    (punctuation, digits, symbols in a word task) are listed in ``dropped``."""
    batch: object                     # rnncore.data.Batch of one
    unknown: tuple = ()               # the typed tokens not in the vocabulary, in order
    oov: str = ""                     # the token they were read as
    dropped: tuple = ()               # what was skipped, as typed
    target_known: bool = True         # False: y is a stand-in (no true answer known): show predictions only


def replace_unknown(vocab, tokens, oov: str):
    """→ (tokens with each one ``vocab`` lacks replaced by ``oov``, the replaced ones in order)."""
    unknown = tuple(t for t in tokens if t not in vocab.index)
    return [t if t in vocab.index else oov for t in tokens], unknown


def read_numbers(encode, text: str) -> Reading:
    """A number task's reading: ``encode`` of the pieces of ``text`` (split at spaces and commas)
    that are finite numbers, a number in brackets ("[0.2]", adding's flag) included; the
    others are skipped and listed."""
    kept, dropped = [], []
    for p in (p for p in re.split(r"[\s,]+", text.strip()) if p):
        body = p[1:-1] if p.startswith("[") and p.endswith("]") else p
        try:
            ok = np.isfinite(float(body))
        except ValueError:
            ok = False
        (kept if ok else dropped).append(p)
    return Reading(encode(" ".join(kept)), dropped=tuple(dropped))
