"""Training history in bounded memory.

Every step adds one record; when ``capacity`` buckets are full, neighbouring
buckets are merged in pairs, so a run of any length keeps at most ``capacity``
points, each summarising ``stride`` consecutive steps (means, and the maximum
gradient norm, so a single explosion is never averaged away).
"""
from __future__ import annotations

import numpy as np

FIELDS = ("loss", "grad_norm", "grad_norm_max", "grad_norm_clipped", "clip_fraction")


class History:
    def __init__(self, capacity: int = 4096):
        if capacity < 2 or capacity % 2:
            raise ValueError(f"capacity must be an even number >= 2, got {capacity}")
        self.capacity = capacity
        self.stride = 1
        self.n = 0                                   # full buckets stored
        self.steps = np.zeros(capacity, np.int64)    # last step of each bucket
        self.data = {f: np.zeros(capacity) for f in FIELDS}
        self._acc = dict.fromkeys(FIELDS, 0.0)
        self._count = 0
        self.total_steps = 0

    def add(self, step: int, loss: float, grad_norm: float, grad_norm_clipped: float, clipped: bool):
        a = self._acc
        a["loss"] += loss
        a["grad_norm"] += grad_norm
        a["grad_norm_max"] = max(a["grad_norm_max"], grad_norm)
        a["grad_norm_clipped"] += grad_norm_clipped
        a["clip_fraction"] += float(clipped)
        self._count += 1
        self.total_steps += 1
        if self._count == self.stride:
            self._push(step)

    def _push(self, step):
        if self.n == self.capacity:
            self._halve()
            if self._count < self.stride:
                return                               # the open bucket is now half full
        i, k = self.n, self._count
        self.steps[i] = step
        for f in FIELDS:
            self.data[f][i] = self._acc[f] if f == "grad_norm_max" else self._acc[f] / k
        self.n += 1
        self._acc = dict.fromkeys(FIELDS, 0.0)
        self._count = 0

    def _halve(self):
        h = self.capacity // 2
        self.steps[:h] = self.steps[1::2]
        for f, v in self.data.items():
            v[:h] = np.maximum(v[0::2], v[1::2]) if f == "grad_norm_max" else 0.5 * (v[0::2] + v[1::2])
        self.n = h
        self.stride *= 2

    def arrays(self) -> dict[str, np.ndarray]:
        """Copies of the stored points (read-only), with 'step'."""
        out = {"step": self.steps[:self.n].copy()}
        out.update({f: v[:self.n].copy() for f, v in self.data.items()})
        for v in out.values():
            v.flags.writeable = False
        return out

    def to_state(self) -> dict:
        return {"capacity": self.capacity, "stride": self.stride, "n": self.n,
                "total_steps": self.total_steps, "count": self._count,
                "acc": dict(self._acc), "steps": self.steps[:self.n].tolist(),
                **{f: v[:self.n].tolist() for f, v in self.data.items()}}

    @classmethod
    def from_state(cls, s: dict) -> "History":
        h = cls(int(s["capacity"]))
        h.stride, h.n, h.total_steps, h._count = int(s["stride"]), int(s["n"]), int(s["total_steps"]), int(s["count"])
        h._acc = {f: float(s["acc"][f]) for f in FIELDS}
        h.steps[:h.n] = s["steps"]
        for f in FIELDS:
            h.data[f][:h.n] = s[f]
        return h
