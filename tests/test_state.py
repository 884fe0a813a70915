"""Initial and final states as PyTorch has them: h0 / c0 in, h_n / c_n out,
(L·D, N, H); truncated BPTT carries them from chunk to chunk exactly; padded
steps output 0 (PyTorch's pad_packed_sequence)."""
import numpy as np
import pytest

from helpers import CELLS, numeric_grad, random_batch, rel_error, small_config
from rnncore import Batch, Model
from rnncore.inputs import InputError


def _states(cfg, rng, N):
    shape = (cfg.num_layers * (2 if cfg.bidirectional else 1), N, cfg.hidden_size)
    h0 = 0.5 * rng.standard_normal(shape)
    return h0, (0.5 * rng.standard_normal(shape) if cfg.cell == "lstm" else None)


@pytest.mark.parametrize("cell,reset_after", CELLS)
@pytest.mark.parametrize("layers", [1, 2])
@pytest.mark.parametrize("tokens", [False, True])
def test_carried_state_across_chunks_equals_one_long_pass(cell, reset_after, layers, tokens):
    over = dict(vocab_size=7, input_size=0, output="softmax", output_size=7) if tokens else {}
    cfg = small_config(cell, reset_after, "many-to-many", False, layers, H=5, **over)
    rng = np.random.default_rng(3)
    model = Model(cfg, rng)
    x = rng.integers(0, 7, (3, 12)) if tokens else rng.standard_normal((3, 12, 2))
    whole = model.forward(x)
    state, logits = (None, None), []
    for k in range(0, 12, 4):                    # three chunks, the state carried as h0 / c0
        fwd = model.forward(x[:, k:k + 4], h0=state[0], c0=state[1])
        logits.append(fwd.logits)
        state = (fwd.h_n, fwd.c_n)
    np.testing.assert_array_equal(np.concatenate(logits), whole.logits)
    np.testing.assert_array_equal(state[0], whole.h_n)
    if cell == "lstm":
        np.testing.assert_array_equal(state[1], whole.c_n)
    else:
        assert whole.c_n is None


COMBOS = [(cell, ra, shape, bi, layers) for cell, ra in CELLS
          for shape in ("many-to-many", "many-to-one", "encoder-decoder")
          for bi in (False, True) for layers in (1, 2)]


@pytest.mark.parametrize("combo", COMBOS, ids=lambda c: f"{c[0]}{'-after' if c[1] else ''}-{c[2]}-{'bi' if c[3] else 'uni'}-L{c[4]}")
def test_gradients_with_a_nonzero_initial_state(combo):
    cfg = small_config(*combo)
    rng = np.random.default_rng(5)
    model = Model(cfg, rng)
    b = random_batch(cfg, rng)
    h0, c0 = _states(cfg, rng, len(b.x))
    batch = Batch(b.x, b.y, b.x_lengths, b.y_lengths, h0, c0)
    res = model.loss_and_grads(batch)
    assert res.loss != pytest.approx(model.loss(b))          # the state matters
    for name, p in model.params.items():
        assert rel_error(numeric_grad(lambda: model.loss(batch), p), res.grads[name]) < 1e-6, name
    assert rel_error(numeric_grad(lambda: model.loss(batch), h0), res.dh0) < 1e-6, "h0"
    if c0 is not None:
        assert rel_error(numeric_grad(lambda: model.loss(batch), c0), res.dc0) < 1e-6, "c0"
    else:
        assert res.dc0 is None


def test_final_state_is_each_sequences_own_last_step_and_padding_outputs_zero():
    cfg = small_config("lstm", False, "many-to-many", True, 2, H=4)
    rng = np.random.default_rng(2)
    model = Model(cfg, rng)
    x = rng.standard_normal((2, 6, 2))
    h0, c0 = _states(cfg, rng, 2)
    fwd = model.forward(x, lengths=[6, 3], h0=h0, c0=c0)
    alone = model.forward(x[1:, :3], h0=h0[:, 1:], c0=c0[:, 1:])
    np.testing.assert_allclose(fwd.h_n[:, 1], alone.h_n[:, 0], rtol=0, atol=1e-14)
    np.testing.assert_allclose(fwd.c_n[:, 1], alone.c_n[:, 0], rtol=0, atol=1e-14)
    np.testing.assert_allclose(fwd.logits[:3, 1], alone.logits[:, 0], rtol=0, atol=1e-14)
    # past T_x(i) the top layer's a<t> is 0, so ŷ<t> = g(b_y) alone (a head on pad_packed_sequence's zeros)
    np.testing.assert_array_equal(fwd.logits[3:, 1], np.broadcast_to(model.params["head.b"], (3, 2)))


def test_bad_states_are_refused_with_the_expected_shape():
    cfg = small_config("gru", False, "many-to-many", False, 2, H=4)
    model = Model(cfg, 0)
    x = np.zeros((3, 5, 2))
    with pytest.raises(InputError, match=r"h0 must have shape .* \(2, 3, 4\), got \(3, 4\)"):
        model.forward(x, h0=np.zeros((3, 4)))
    with pytest.raises(InputError, match="c0 is the LSTM's"):
        model.forward(x, h0=np.zeros((2, 3, 4)), c0=np.zeros((2, 3, 4)))
    with pytest.raises(InputError, match="h0 contains NaN"):
        model.forward(x, h0=np.full((2, 3, 4), np.nan))


def test_batch_take_selects_state_rows():
    h0 = np.arange(2 * 3 * 1.0).reshape(2, 3, 1)
    b = Batch(np.zeros((3, 4, 2)), np.zeros((3, 4, 1)), h0=h0).take([2, 0])
    np.testing.assert_array_equal(b.h0[:, :, 0], [[2, 0], [5, 3]])
    assert b.c0 is None


@pytest.mark.parametrize("kind", ["RNN", "GRU", "LSTM"])
def test_states_and_padding_match_pytorch(kind):
    torch = pytest.importorskip("torch")
    from rnncore.torch_import import from_state_dict
    torch.manual_seed(0)
    mod = getattr(torch.nn, kind)(3, 5, num_layers=2, bidirectional=True, batch_first=True).double()
    imp = from_state_dict({k: v.detach().numpy() for k, v in mod.state_dict().items()}, nonlinearity="tanh")
    rng = np.random.default_rng(0)
    x, lengths = rng.standard_normal((3, 6, 3)), np.array([6, 2, 4])
    h0, c0 = rng.standard_normal((4, 3, 5)), rng.standard_normal((4, 3, 5))
    packed = torch.nn.utils.rnn.pack_padded_sequence(torch.from_numpy(x), torch.from_numpy(lengths),
                                                     batch_first=True, enforce_sorted=False)
    state = (torch.from_numpy(h0), torch.from_numpy(c0)) if kind == "LSTM" else torch.from_numpy(h0)
    out, fin = mod(packed, state)
    out = torch.nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=6)[0].detach().numpy()
    fwd = imp.model.forward(x, lengths, h0=h0, c0=c0 if kind == "LSTM" else None)
    np.testing.assert_allclose(imp.model.predict(x, lengths, h0=h0, c0=c0 if kind == "LSTM" else None), out,
                               rtol=0, atol=1e-12)                      # zeros at padded steps included
    h_n = (fin[0] if kind == "LSTM" else fin).detach().numpy()
    np.testing.assert_allclose(fwd.h_n, h_n, rtol=0, atol=1e-12)
    if kind == "LSTM":
        np.testing.assert_allclose(fwd.c_n, fin[1].detach().numpy(), rtol=0, atol=1e-12)
