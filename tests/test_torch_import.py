"""PyTorch state_dict import: stored torch outputs and gradients, live parity, every error."""
from pathlib import Path

import numpy as np
import pytest

from helpers import rel_error
from rnncore.torch_import import (TorchImportError, from_state_dict, load_torch_weights, outputs_backward,
                                  read_state_dict)

FIX = Path(__file__).parent / "fixtures"
REF = dict(np.load(FIX / "torch_state_reference.npz"))
# case: (file, nonlinearity, kind, input, hidden, layers, bidirectional, bias, head)
CASES = {
    "lstm": ("torch_state_lstm.safetensors", None, "lstm", 3, 4, 2, True, True, "fc."),
    "gru": ("torch_state_gru.npz", None, "gru", 3, 5, 1, False, True, None),
    "rnn_relu": ("torch_state_rnn_relu.safetensors", "relu", "rnn", 2, 4, 2, True, False, "head."),
    "rnn_tanh": ("torch_state_rnn_tanh.npz", "tanh", "rnn", 2, 3, 3, False, True, None),
}
TOL = 1e-12


@pytest.mark.parametrize("case", sorted(CASES))
def test_reproduces_stored_torch_outputs_and_gradients(case):
    file, nl, kind, D, H, L, bi, bias, head = CASES[case]
    imp = load_torch_weights(FIX / file, nonlinearity=nl)
    assert (imp.kind, imp.input_size, imp.hidden_size, imp.num_layers, imp.bidirectional, imp.bias, imp.head) == \
        (kind, D, H, L, bi, bias, head)
    assert imp.prefix == ("rnn." if head else "")
    assert imp.model.config.shape == "many-to-many" and imp.model.config.reset_after == (kind == "gru")
    x = REF[f"{case}.x"]
    out = imp.model.predict(x)
    assert rel_error(out, REF[f"{case}.output"]) < TOL
    yhat, grads, dx = outputs_backward(imp.model, x, REF[f"{case}.G"])
    np.testing.assert_array_equal(yhat, out)
    assert rel_error(dx, REF[f"{case}.grad.input"]) < TOL
    tg = imp.grads_to_torch(grads)
    expected = {k[len(case) + 6:] for k in REF if k.startswith(f"{case}.grad.") and not k.endswith(".input")}
    assert set(tg) == expected == set(imp.torch_keys())
    for k, g in tg.items():
        assert rel_error(g, REF[f"{case}.grad.{k}"]) < TOL, k


def test_identity_head_gives_the_module_output_exactly():
    imp = load_torch_weights(FIX / "torch_state_gru.npz")
    assert imp.model.config.output == "linear" and imp.model.config.output_size == 5
    np.testing.assert_array_equal(imp.model.params["head.W"], np.eye(5))
    assert "nn.GRU(input_size=3, hidden_size=5" in imp.describe() and "no head" in imp.describe()


def test_float32_import():
    imp = load_torch_weights(FIX / "torch_state_lstm.safetensors", dtype="float32")
    out = imp.model.predict(REF["lstm.x"].astype(np.float32))
    assert out.dtype == np.float32 and rel_error(out, REF["lstm.output"]) < 1e-5


def test_softmax_head():
    imp = load_torch_weights(FIX / "torch_state_lstm.safetensors", output="softmax")
    p = imp.model.predict(REF["lstm.x"])
    e = np.exp(REF["lstm.output"] - REF["lstm.output"].max(-1, keepdims=True))
    assert rel_error(p, e / e.sum(-1, keepdims=True)) < TOL


def _state(name="torch_state_rnn_tanh.npz"):
    return read_state_dict(FIX / name)


def _without(state, key):
    return {k: v for k, v in state.items() if k != key}


def test_nn_rnn_weights_need_their_nonlinearity():
    """tanh assumed for a relu-trained nn.RNN gave outputs 98 % off, silently."""
    with pytest.raises(TorchImportError, match="does not record its nonlinearity"):
        from_state_dict(_state())
    assert from_state_dict(_state(), "relu").model.config.activation == "relu"


@pytest.mark.parametrize("state,kwargs,message", [
    (lambda: _without(_state(), "weight_hh_l1"), {}, "missing key 'weight_hh_l1'"),
    (lambda: _without(_state(), "bias_ih_l2"), {}, "missing key 'bias_ih_l2'"),
    (lambda: {**_state(), "extra.weight": np.ones((2, 2))}, {}, "unexpected key(s) extra.weight"),
    (lambda: {**_state(), "weight_hh_l0": np.ones((3, 4))}, {}, "(G·H, H) with G = 1, 3 or 4, got (3, 4)"),
    (lambda: {**_state(), "weight_hh_l0": np.ones((6, 3))}, {}, "2 gate blocks"),
    (lambda: {**_state(), "weight_ih_l1": np.ones((3, 4))}, {}, "'weight_ih_l1' has shape (3, 4), expected (3, 3)"),
    (lambda: {**_state(), "bias_hh_l0": np.full(3, np.nan)}, {}, "'bias_hh_l0' holds NaN or Inf"),
    (lambda: {**_state(), "bias_hh_l0": np.arange(3)}, {}, "must hold floating-point numbers"),
    (lambda: {"weight": np.ones((2, 2)), "bias": np.ones(2)}, {}, "not the state_dict of an nn.RNN, nn.GRU or nn.LSTM"),
    (lambda: {"weight_ih": np.ones((8, 2)), "weight_hh": np.ones((8, 2))}, {}, "nn.LSTMCell"),
    (lambda: {"weight_ih_l0": np.ones((8, 2)), "weight_hh_l0": np.ones((8, 1)), "weight_hr_l0": np.ones((1, 2))},
     {}, "proj_size"),
    (lambda: {k.replace("_l2", "_l5"): v for k, v in _state().items()}, {}, "numbered 0 to L-1"),
    (lambda: {**_without(_state(), "weight_ih_l0"), "a.weight_ih_l0": _state()["weight_ih_l0"]}, {}, "one module"),
    (lambda: _state(), {"nonlinearity": "sigmoid"}, "nonlinearity must be one of tanh, relu"),
    (lambda: _state("torch_state_gru.npz"), {"nonlinearity": "relu"}, "nn.RNN only"),
    (lambda: _state("torch_state_gru.npz"), {"output": "softmax"}, "needs a head"),
    (lambda: {**_state(), "head.weight": np.ones((2, 7))}, {}, "'head.weight' has shape (2, 7), expected (output_size, 3)"),
    (lambda: {**_state(), "head.weight": np.ones((2, 3)), "fc.weight": np.ones((2, 3))}, {}, "two heads"),
    (lambda: {**_state(), "fc.bias": np.ones(2)}, {}, "head bias without its weight"),
    (lambda: _state(), {"dtype": "float16"}, "dtype must be one of"),
])
def test_bad_state_dicts_give_clear_errors(state, kwargs, message):
    with pytest.raises(TorchImportError) as e:
        from_state_dict(state(), **kwargs)
    assert message in str(e.value)
    assert isinstance(e.value, ValueError)


def test_bad_files(tmp_path):
    with pytest.raises(TorchImportError, match="no such file"):
        load_torch_weights(tmp_path / "nope.safetensors")
    (tmp_path / "m.pt").write_bytes(b"x")
    with pytest.raises(TorchImportError, match="pickles, which are never loaded"):
        load_torch_weights(tmp_path / "m.pt")
    (tmp_path / "w.safetensors").write_bytes(b"garbage")
    with pytest.raises(TorchImportError, match="w.safetensors' cannot be read"):
        load_torch_weights(tmp_path / "w.safetensors")
    (tmp_path / "w.npz").write_bytes(b"garbage")
    with pytest.raises(TorchImportError, match="w.npz' cannot be read"):
        load_torch_weights(tmp_path / "w.npz")
    (tmp_path / "w.txt").write_text("hi")
    with pytest.raises(TorchImportError, match="expected a .safetensors or .npz"):
        load_torch_weights(tmp_path / "w.txt")
    np.savez(tmp_path / "bad.npz", weight_ih_l0=np.ones((4, 2)), weight_hh_l0=np.ones((4, 1)), bias_ih_l0=np.ones(4))
    with pytest.raises(TorchImportError, match=r"bad.npz': missing key 'bias_hh_l0'"):
        load_torch_weights(tmp_path / "bad.npz")


# -- live parity, where torch is installed -------------------------------------
LIVE = [("RNN", "tanh", 1, False), ("RNN", "relu", 2, True), ("GRU", None, 2, True), ("GRU", None, 1, False),
        ("LSTM", None, 3, True), ("LSTM", None, 1, False)]


@pytest.mark.parametrize("mod,nl,layers,bi", LIVE)
def test_live_parity_with_torch(tmp_path, mod, nl, layers, bi):
    torch = pytest.importorskip("torch")
    from safetensors.torch import save_file
    torch.manual_seed(layers * 10 + bi)
    kw = {"nonlinearity": nl} if nl else {}
    rnn = getattr(torch.nn, mod)(input_size=3, hidden_size=4, num_layers=layers, bidirectional=bi,
                                 batch_first=True, **kw).double()
    save_file(rnn.state_dict(), str(tmp_path / "w.safetensors"))        # the README's two lines
    imp = load_torch_weights(tmp_path / "w.safetensors", nonlinearity=nl)
    x = torch.randn(3, 6, 3, dtype=torch.float64, requires_grad=True)
    out, _ = rnn(x)
    G = torch.randn(out.shape, dtype=torch.float64)
    (out * G).sum().backward()
    _, grads, dx = outputs_backward(imp.model, x.detach().numpy(), G.numpy())
    assert rel_error(imp.model.predict(x.detach().numpy()), out.detach().numpy()) < TOL
    assert rel_error(dx, x.grad.numpy()) < TOL
    tg = imp.grads_to_torch(grads)
    assert set(tg) == {k for k, _ in rnn.named_parameters()}
    for k, p in rnn.named_parameters():
        assert rel_error(tg[k], p.grad.numpy()) < TOL, k


def test_live_npz_float32_with_head(tmp_path):
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = torch.nn.LSTM(2, 3, batch_first=True)
            self.head = torch.nn.Linear(3, 2)

        def forward(self, x):
            return self.head(self.lstm(x)[0])

    net = Net()
    np.savez(tmp_path / "w.npz", **{k: v.numpy() for k, v in net.state_dict().items()})
    imp = load_torch_weights(tmp_path / "w.npz", dtype="float32")
    x = torch.randn(2, 4, 2)
    assert rel_error(imp.model.predict(x.numpy()), net(x).detach().numpy()) < 1e-5


def test_live_gate_names_match_torch(tmp_path):
    """The trace's gates are PyTorch's: LSTM i, f, g, o = Γu, Γf, c̃, Γo; GRU r, z, n = Γr, 1 − Γu, c̃
    (checked at t = 1, where h0 = 0 makes them one product each)."""
    torch = pytest.importorskip("torch")
    from rnncore.data import Batch
    torch.manual_seed(3)
    x = torch.randn(2, 4, 3, dtype=torch.float64)
    for mod, names in (("LSTM", ("gamma_u", "gamma_f", "c_tilde", "gamma_o")), ("GRU", ("gamma_r", "1-gamma_u", "c_tilde"))):
        rnn = getattr(torch.nn, mod)(3, 5, batch_first=True).double()
        imp = from_state_dict({k: v.detach().numpy() for k, v in rnn.state_dict().items()})
        gates = imp.model.trace(Batch(x.numpy(), None), with_gradients=False).parts["rnn"][0][0]
        pre = (x[:, 0] @ rnn.weight_ih_l0.T + rnn.bias_ih_l0).detach().numpy()       # (N, G·H)
        bh = rnn.bias_hh_l0.detach().numpy()
        for g, name in enumerate(names):
            s = pre[:, g * 5:(g + 1) * 5]
            if mod == "GRU" and name == "c_tilde":
                r = 1 / (1 + np.exp(-(pre[:, :5] + bh[:5])))
                want = np.tanh(s + r * bh[10:])
            else:
                s = s + bh[g * 5:(g + 1) * 5]
                want = np.tanh(s) if name == "c_tilde" else 1 / (1 + np.exp(-s))
            got = gates[name.removeprefix("1-")][0]
            if name.startswith("1-"):
                got = 1 - got
            assert rel_error(got, want) < 1e-12, (mod, name)
