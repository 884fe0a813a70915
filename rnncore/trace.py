"""The internals of a forward pass, as read-only arrays ready for plotting.

Layout (time-major, like the core): ``trace.parts[part][l][d][key]`` is an array
(T, N, H) for part 'rnn' (or 'enc' and 'dec'), layer l, direction d (0: →, 1: ←)
and key one of ``gamma_u gamma_r gamma_f gamma_o c_tilde c a`` (the cell's own;
``rnncore.naming.SYMBOLS`` gives the notes' symbols). ``flows`` has the same
layout with ∂L/∂a<t>. ``flat()`` names every array ``part.l0.fwd.key`` for .npz.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .functional import output_activation
from .naming import param_name
from .plain import readonly




@dataclass(frozen=True)
class Trace:
    parts: dict          # part → [l][d] → {key: (T, N, H)}
    flows: dict | None   # part → [l][d] → (T, N, H) ∂L/∂a<t>, when gradients were traced
    logits: np.ndarray   # (T_y, N, O)
    outputs: np.ndarray  # (T_y, N, O) ŷ: probabilities, or values for linear outputs
    loss: np.ndarray | None   # (T_y, N) L<t>(i), when targets were given
    lengths: np.ndarray  # (N,) T_x(i)

    def select(self, n: int) -> "Trace":
        """A copy holding example n only (N = 1), safe to hand to another thread."""
        cut = lambda a: readonly(np.array(a[:, n:n + 1]))  # noqa: E731
        def each(tree):
            return {p: [[({k: cut(v) for k, v in d.items()} if isinstance(d, dict) else cut(d)) for d in row]
                        for row in layers] for p, layers in tree.items()}
        return Trace(each(self.parts), None if self.flows is None else each(self.flows),
                     cut(self.logits), cut(self.outputs),
                     None if self.loss is None else cut(self.loss), readonly(np.array(self.lengths[n:n + 1])))

    def flat(self) -> dict[str, np.ndarray]:
        out = {}
        for p, layers in self.parts.items():
            for l, row in enumerate(layers):
                for d, keys in enumerate(row):
                    for k, v in keys.items():
                        out[param_name(p, l, d, k)] = v
                    if self.flows is not None:
                        out[param_name(p, l, d, "da")] = self.flows[p][l][d]
        out["logits"] = self.logits
        out["outputs"] = self.outputs
        if self.loss is not None:
            out["loss"] = self.loss
        out["lengths"] = self.lengths
        return out


def build_trace(model, fwd, per_example, flows) -> Trace:
    parts = {}
    caches = {"enc" if "enc" in model.parts else "rnn": fwd.enc[0]}
    if fwd.dec is not None:
        caches["dec"] = fwd.dec[0]
    for name, scache in caches.items():
        stack = model.parts[name][0]
        layers = []
        for l, row in enumerate(scache.caches):
            out_row = []
            for d, dc in enumerate(row):
                cell = stack.layers[l][d].cell
                H, buf = cell.H, dc.buf
                keys = {}
                if cell.gates != ("a_pre",):
                    for i, g in enumerate(cell.gates):
                        keys[g] = readonly(buf.Z[..., i * H:(i + 1) * H])
                keys["c"] = readonly(buf.C if buf.C is not None else buf.A)
                keys["a"] = readonly(buf.A)
                out_row.append(keys)
            layers.append(out_row)
        parts[name] = layers
    ro_flows = None
    if flows is not None:
        ro_flows = {p: [[readonly(f) for f in row] for row in layers] for p, layers in flows.items()}
    return Trace(parts, ro_flows, readonly(fwd.logits), readonly(output_activation(model.config.output, fwd.logits)),
                 None if per_example is None else readonly(per_example), readonly(fwd.lengths))
