"""Shared test helpers: small random batches for every shape, numeric gradients."""
from __future__ import annotations

import numpy as np

from rnncore import Batch, ModelConfig

CELLS = [("rnn", False), ("gru-simple", False), ("gru", False), ("gru", True), ("lstm", False)]
SHAPES = ["one-to-one", "one-to-many", "many-to-one", "many-to-many", "encoder-decoder"]


def small_config(cell, reset_after, shape, bidirectional, layers, H=3, **over):
    kw = dict(cell=cell, reset_after=reset_after, hidden_size=H, num_layers=layers,
              bidirectional=bidirectional, shape=shape, dtype="float64")
    if shape in ("one-to-many", "encoder-decoder"):
        kw.update(output="softmax", output_size=3, target_length=3, input_size=2)
        if shape == "encoder-decoder":
            kw.update(vocab_size=5, embedding_dim=2, input_size=0)
    else:
        kw.update(output="sigmoid", output_size=2, input_size=2)
    kw.update(over)
    return ModelConfig(**kw)


def random_batch(cfg, rng, N=3, T=4, ragged=True):
    """A batch with sequences of different lengths (T, 2, 3, ...)."""
    lengths = np.array([T] + [int(v) for v in rng.integers(1, T + 1, N - 1)]) if ragged else None
    if cfg.shape in ("one-to-one", "one-to-many"):
        x = rng.standard_normal((N, cfg.input_size))
        lengths = None
    elif cfg.vocab_size:
        x = rng.integers(0, cfg.vocab_size, (N, T))
    else:
        x = rng.standard_normal((N, T, cfg.input_size))
    if cfg.shape in ("one-to-many", "encoder-decoder"):
        Ty = 3
        y = rng.integers(0, cfg.output_size, (N, Ty))
        ylen = np.array([Ty] + [int(v) for v in rng.integers(1, Ty + 1, N - 1)]) if ragged else None
        return Batch(x, y, lengths, ylen)
    steps = () if cfg.shape in ("many-to-one", "one-to-one") else (T,)
    if cfg.output == "softmax":
        y = rng.integers(0, cfg.output_size, (N, *steps))
    elif cfg.output == "sigmoid":
        y = rng.uniform(0, 1, (N, *steps, cfg.output_size))
    else:
        y = rng.standard_normal((N, *steps, cfg.output_size))
    return Batch(x, y, lengths)


def numeric_grad(f, a, eps=1e-5):
    """Central differences of the scalar f() with respect to every entry of a (in place)."""
    g = np.zeros_like(a)
    it = np.nditer(a, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = a[i]
        a[i] = old + eps
        fp = f()
        a[i] = old - eps
        fm = f()
        a[i] = old
        g[i] = (fp - fm) / (2 * eps)
    return g


def rel_error(a, b):
    """max |a − b| relative to the larger of max |a|, max |b| (0 when both vanish)."""
    scale = max(np.abs(a).max(initial=0), np.abs(b).max(initial=0))
    return 0.0 if scale == 0 else float(np.abs(a - b).max() / scale)
