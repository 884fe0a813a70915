"""A batch of sequences at the public boundary (batch-first)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Batch:
    """Inputs and targets of N sequences, batch-first.

    x: (N, T_x, D) floats, (N, T_x) token ids, or (N, D) for one-to-one and
       one-to-many (the start vector).
    y: targets: (N, T_y) class ids, (N, T_y, O) or (N, T_y) floats per step,
       or (N,) / (N, O) for many-to-one and one-to-one.
    x_lengths, y_lengths: (N,) the notes' T_x(i), T_y(i); None when all are full.
    h0, c0: initial states a<0> (and c<0> for the LSTM), (L·D, N, H) as PyTorch's
       h_0 / c_0; None is zero. Truncated BPTT carries a chunk's final state here.
    """
    x: np.ndarray
    y: np.ndarray
    x_lengths: np.ndarray | None = None
    y_lengths: np.ndarray | None = None
    h0: np.ndarray | None = None
    c0: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.x)

    def take(self, index) -> "Batch":
        """The sub-batch of the given rows (an int gives a batch of one)."""
        idx = np.atleast_1d(np.asarray(index))
        sel = lambda a: None if a is None else a[idx]  # noqa: E731
        rows = lambda s: None if s is None else np.asarray(s)[:, idx]  # noqa: E731  (states: batch is axis 1)
        return Batch(self.x[idx], self.y[idx], sel(self.x_lengths), sel(self.y_lengths), rows(self.h0), rows(self.c0))
