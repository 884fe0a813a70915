"""A second forward pass (a probe sentence the user typed) between a forward pass
and its backward pass changes nothing: every buffer belongs to one call, and the
core's pool of large arrays hands a block out again only once nothing refers to it."""
import numpy as np
import pytest

from helpers import CELLS
from rnncore.cells import make_cell
from rnncore.config import ModelConfig
from rnncore.functional import Pool
from rnncore.layers import Stack


@pytest.mark.parametrize("cell,reset_after", CELLS)
def test_probe_between_forward_and_backward(cell, reset_after):
    # big enough that every per-pass array comes from the pool
    T, N, D, H = 40, 16, 8, 32
    cfg = ModelConfig(cell=cell, reset_after=reset_after, hidden_size=H, input_size=D)
    stack = Stack(lambda: make_cell(cfg), 2, True)
    rng = np.random.default_rng(0)
    params = [[{k: rng.uniform(-0.5, 0.5, s) for k, s in d.cell.param_shapes(D if l == 0 else 2 * H).items()}
               for d in dirs] for l, dirs in enumerate(stack.layers)]
    X, probe = rng.standard_normal((2, T, N, D))
    mask = (np.arange(T)[:, None] < rng.integers(1, T + 1, N)[None, :])[..., None].astype(float)
    dtop = rng.standard_normal((T, N, 2 * H))

    def copied(out):                                 # fresh arrays, owned by nobody else
        top, (dX, _, grads, flows) = out
        return (top.copy(), dX.copy(), [[{k: v.copy() for k, v in g.items()} for g in row] for row in grads],
                [[f.copy() for f in row] for row in flows])

    top, _, cache = stack.forward(params, X, mask)
    ref = copied((top, stack.backward(params, dtop, cache)))
    del top, cache                                   # their arrays go back to the pool

    top, _, cache = stack.forward(params, X, mask)
    for _ in range(3):                               # probes, each dropped at once
        _, _, probe_cache = stack.forward(params, probe, None)
        stack.backward(params, dtop[::-1], probe_cache)
    got = copied((top, stack.backward(params, dtop, cache)))
    assert np.isfinite(ref[1]).all()
    np.testing.assert_array_equal(got[0], ref[0])
    np.testing.assert_array_equal(got[1], ref[1])
    for l in range(2):
        for d in range(2):
            for k in ref[2][l][d]:
                np.testing.assert_array_equal(got[2][l][d][k], ref[2][l][d][k], err_msg=k)
            np.testing.assert_array_equal(got[3][l][d], ref[3][l][d])


def test_pool_reuses_only_free_blocks():
    pool = Pool()
    a = pool.empty((256, 256), np.float32)
    view = a[3:5]
    del a
    b = pool.empty((256, 256), np.float32)           # the first block is still seen through `view`
    assert not np.shares_memory(view, b)
    del view
    c = pool.empty((256, 256), np.float32)           # now it is free again
    assert len(pool._blocks) == 2 and not np.shares_memory(b, c)
