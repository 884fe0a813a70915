"""Plain data out of the core: read-only arrays (what crosses to a GUI or a caller must not
change under it) and JSON-able values (run files' metadata, ``rnnscope ... --json``)."""
from __future__ import annotations

import math
import os

import numpy as np


def readonly(a, copy: bool = False) -> np.ndarray:
    """``a`` as an array nobody can write through: a read-only view, or a read-only copy
    (``copy=True``) when the original will be written again (a reused buffer, live weights)."""
    out = np.array(a) if copy else np.asarray(a).view()
    out.flags.writeable = False
    return out


def jsonable(v, finite: bool = False):
    """``v`` with NumPy values, tuples and paths turned into JSON's types (keys as strings).
    ``finite``: NaN becomes None and ±inf ±1e308, for strict JSON readers; otherwise they stay
    (Python's json writes and reads them back)."""
    if isinstance(v, dict):
        return {str(k): jsonable(x, finite) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [jsonable(x, finite) for x in v]
    if isinstance(v, np.ndarray):
        return jsonable(v.tolist(), finite) if finite else v.tolist()
    if isinstance(v, np.generic):
        v = v.item()
    if finite and isinstance(v, float) and not math.isfinite(v):
        return None if math.isnan(v) else (1e308 if v > 0 else -1e308)
    if isinstance(v, os.PathLike):
        return os.fspath(v)
    return v


def finite_jsonable(v):
    """:func:`jsonable` for strict JSON (``rnnscope ... --json``)."""
    return jsonable(v, finite=True)
