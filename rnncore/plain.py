"""Read-only arrays: what crosses to a GUI or a caller must not change under it. (JSON-able
values: rnncore.fileio.jsonable.)"""
from __future__ import annotations

import numpy as np


def readonly(a, copy: bool = False) -> np.ndarray:
    """``a`` as an array nobody can write through: a read-only view, or a read-only copy
    (``copy=True``) when the original will be written again (a reused buffer, live weights)."""
    out = np.array(a) if copy else np.asarray(a).view()
    out.flags.writeable = False
    return out
