"""Divergence: NaN / Inf at any point of a step (data, gradient, optimizer state, the update
itself) stops training in words, with the last finite weights."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from hardening_fixtures import COMMON, watchdog  # noqa: F401 (watchdog: autouse)
from rnncore import Batch, InputError, ModelConfig, TrainConfig
from rnncore.trainer import Trainer


DIV_CFG = ModelConfig(cell="lstm", input_size=2, hidden_size=3, output="linear", output_size=1)
_dx = np.random.default_rng(1).standard_normal((8, 4, 2))
DIV_DATA = Batch(_dx, _dx[:, :, :1].copy())


@settings(max_examples=60, **COMMON)
@given(where=st.sampled_from(["x", "y", "grad", "opt_m", "opt_v", "weights_after"]),
       value=st.sampled_from([np.nan, np.inf, -np.inf]), after=st.integers(0, 3),
       optimizer=st.sampled_from(["adam", "sgd"]), clip=st.sampled_from(["none", "norm", "value"]),
       dtype=st.sampled_from(["float32", "float64"]), pos=st.integers(0, 10**6))
def test_non_finite_anywhere_stops_with_the_last_finite_weights(where, value, after, optimizer, clip, dtype, pos):
    from rnncore.optim import state_arrays
    from rnncore.trainer import ArraySource
    cfg = ModelConfig(**{**DIV_CFG.to_dict(), "dtype": dtype})
    tr = Trainer.create(cfg, TrainConfig(seed=0, batch_size=4, optimizer=optimizer, momentum=0.5, clip=clip,
                                         clip_threshold=1.0), DIV_DATA)
    for _ in range(after):
        assert tr.train_step().ok
    before = {k: v.copy() for k, v in tr.model.params.items()}
    step = tr.step
    if where in ("x", "y"):
        x, y = DIV_DATA.x.copy(), DIV_DATA.y.copy()
        a = x if where == "x" else y
        a.flat[pos % a.size] = value
        tr.source = ArraySource(Batch(x, y))
    elif where == "grad":
        real = tr.model.loss_and_grads

        def poisoned(batch):
            res = real(batch)
            g = sorted(res.grads)[pos % len(res.grads)]
            res.grads[g].flat[pos % res.grads[g].size] = value
            return res
        tr.model.loss_and_grads = poisoned
    elif where.startswith("opt"):
        slots = {k: v for k, v in state_arrays(tr.optimizer).items() if k.startswith(where[-1] + ".")}
        if not slots:                               # SGD has no 'm'
            slots = state_arrays(tr.optimizer)
        k = sorted(slots)[pos % len(slots)]
        slots[k].flat[pos % slots[k].size] = value
    else:                                           # the update itself overflows
        tr.optimizer.lr = 1e300 if dtype == "float64" else 3e38
    try:
        snap = tr.train_step()
    except InputError as e:                         # non-finite data is refused before any step
        assert where in ("x", "y") and str(e)
        snap = None
    if snap is not None and snap.ok:
        # only possible when the poison cannot reach the weights (an SGD momentum of +-inf that
        # is clipped away never is); the weights must then be finite
        assert all(np.isfinite(v).all() for v in tr.model.params.values()), where
        return
    if snap is not None:
        assert "Training stopped" in snap.diverged and f"step {step}" in snap.diverged, snap.diverged
        assert snap.step == step
    assert tr.step == step
    for k, v in tr.model.params.items():
        np.testing.assert_array_equal(v, before[k], err_msg=f"{k} changed by a diverged step ({where})")
