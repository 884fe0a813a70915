"""Parity with PyTorch's nn.RNN (tanh, relu), nn.GRU and nn.LSTM in float64:
outputs, final states and every gradient agree to 1e-8 relative.

Weights are copied by PyTorch's names through ``rnncore.naming`` into the core's
layers (GRU with ``reset_after=True``), and gradients mapped back the same way.
PyTorch's values come from ``fixtures/torch_reference.npz`` (written by
``fixtures/make_torch_reference.py``), so this runs without torch; where torch
is installed, the same comparison also runs on fresh random weights.
"""
import importlib.util
from pathlib import Path

import numpy as np
import pytest

from helpers import rel_error
from rnncore import naming
from rnncore.cells import make_cell
from rnncore.config import ModelConfig
from rnncore.layers import Stack

_spec = importlib.util.spec_from_file_location(
    "make_torch_reference", Path(__file__).parent / "fixtures" / "make_torch_reference.py")
ref = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ref)

TOL = 1e-8


def _suffix(l, d):
    return f"_l{l}" + ("_reverse" if d else "")


def core_vs_torch(case: str, r: dict) -> dict[str, float]:
    """Run the core on PyTorch's weights and data; relative error of every quantity."""
    spec = ref.parse(case)
    kind, L, dirs = spec["kind"], spec["layers"], 2 if spec["bidirectional"] else 1
    x = r["x"]
    N, T, D = x.shape
    H = r["h0"].shape[-1]
    cfg = ModelConfig(cell=kind, hidden_size=H, input_size=D, reset_after=kind == "gru",
                      activation=spec["nonlinearity"] or "tanh", dtype="float64")
    stack = Stack(lambda: make_cell(cfg), L, spec["bidirectional"])
    params = [[naming.torch_to_core(kind, *(r[f"param.{w}{_suffix(l, d)}"]
                                            for w in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")))
               for d in range(dirs)] for l in range(L)]
    lstm = kind == "lstm"
    state = lambda a, l, d: None if a is None else a[l * dirs + d]  # noqa: E731  PyTorch's (L·dirs, N, H)
    states0 = [[(state(r["h0"], l, d), state(r.get("c0"), l, d)) for d in range(dirs)] for l in range(L)]
    lengths = r["lengths"]
    mask = None
    if lengths.min() < T:
        mask = (np.arange(T)[:, None] < lengths[None, :])[..., None].astype(np.float64)   # (T, N, 1)

    X = np.ascontiguousarray(x.transpose(1, 0, 2))                    # (T, N, D)
    top, finals, cache = stack.forward(params, X, mask, states0)
    dtop = np.ascontiguousarray(r["G"].transpose(1, 0, 2))
    dfinals = [[(state(r["Gh"], l, d), state(r.get("Gc"), l, d)) for d in range(dirs)] for l in range(L)]
    dX, dstates0, grads, _ = stack.backward(params, dtop, cache, dfinals)

    valid = np.arange(T)[None, :, None] < lengths[:, None, None]      # PyTorch pads outputs with zeros
    err = {"output": rel_error(np.where(valid, top.transpose(1, 0, 2), 0), r["output"]),
           "h_n": rel_error(np.stack([f[0] for row in finals for f in row]), r["h_n"]),
           "grad.x": rel_error(dX.transpose(1, 0, 2), r["grad.x"]),
           "grad.h0": rel_error(np.stack([s[0] for row in dstates0 for s in row]), r["grad.h0"])}
    if lstm:
        err["c_n"] = rel_error(np.stack([f[1] for row in finals for f in row]), r["c_n"])
        err["grad.c0"] = rel_error(np.stack([s[1] for row in dstates0 for s in row]), r["grad.c0"])
    for l in range(L):
        for d in range(dirs):
            for w, g in naming.core_grads_to_torch(kind, grads[l][d]).items():
                name = f"{w}{_suffix(l, d)}"
                err[f"grad.{name}"] = rel_error(g, r[f"grad.{name}"])
    expected = {k for k in r if k.startswith("grad.")} | {"output", "h_n"} | ({"c_n"} if lstm else set())
    assert set(err) == expected, sorted(set(err) ^ expected)
    return err


@pytest.fixture(scope="module")
def fixture_cases():
    return ref.load()


def test_fixture_holds_every_case(fixture_cases):
    assert sorted(fixture_cases) == sorted(ref.CASES)


@pytest.mark.parametrize("case", ref.CASES)
def test_matches_torch_fixture(case, fixture_cases):
    err = core_vs_torch(case, fixture_cases[case])
    worst = max(err, key=err.get)
    assert err[worst] < TOL, f"{worst}: {err[worst]:.2e}"


@pytest.mark.parametrize("case", ref.CASES)
def test_matches_torch_live(case):
    """The same comparison on fresh random weights, computed by the installed torch."""
    pytest.importorskip("torch")
    err = core_vs_torch(case, ref.reference_case(case, seed=7 + ref.CASES.index(case)))
    worst = max(err, key=err.get)
    assert err[worst] < TOL, f"{worst}: {err[worst]:.2e}"


def test_naming_round_trip():
    """torch_to_core then core_to_torch gives back an equivalent layer: same weights,
    biases folded (b_ih + b_hh) the same; the GRU's b_hn kept apart."""
    rng = np.random.default_rng(0)
    H, D = 3, 4
    for kind, G in (("rnn", 1), ("gru", 3), ("lstm", 4)):
        w = [rng.standard_normal(s) for s in ((G * H, D), (G * H, H), (G * H,), (G * H,))]
        back = naming.core_to_torch(kind, naming.torch_to_core(kind, *w))
        np.testing.assert_array_equal(back["weight_ih"], w[0])
        np.testing.assert_array_equal(back["weight_hh"], w[1])
        if kind == "gru":
            np.testing.assert_allclose(back["bias_ih"][:2 * H] + back["bias_hh"][:2 * H], (w[2] + w[3])[:2 * H])
            np.testing.assert_array_equal(back["bias_ih"][2 * H:], w[2][2 * H:])
            np.testing.assert_array_equal(back["bias_hh"][2 * H:], w[3][2 * H:])
        else:
            np.testing.assert_allclose(back["bias_ih"] + back["bias_hh"], w[2] + w[3])
