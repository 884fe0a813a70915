"""rnncore.generate: temperature, EOS, sentence scores, greedy decoding (no training)."""
import numpy as np
import pytest

from rnncore import Model, ModelConfig
from rnncore import generate as gen
from rnncore.functional import log_softmax


def lm_model(cell="lstm", V=6, embedding_dim=0, layers=1, seed=0):
    cfg = ModelConfig(cell=cell, vocab_size=V, embedding_dim=embedding_dim, hidden_size=5, num_layers=layers,
                      shape="many-to-many", output="softmax", output_size=V, dtype="float64")
    return Model(cfg, seed)


def test_temperature_zero_is_argmax_and_tiny_temperature_agrees():
    rng = np.random.default_rng(0)
    logits = rng.standard_normal((50, 7))
    want = logits.argmax(-1)
    assert np.array_equal(gen.pick(logits, 0.0), want)
    assert np.array_equal(gen.pick(logits, 1e-6, np.random.default_rng(1)), want)


def test_temperature_one_samples_the_softmax():
    logits = np.log(np.array([[0.1, 0.2, 0.7]]))
    rng = np.random.default_rng(3)
    draws = np.array([gen.pick(logits, 1.0, rng)[0] for _ in range(4000)])
    freq = np.bincount(draws, minlength=3) / len(draws)
    assert np.allclose(freq, [0.1, 0.2, 0.7], atol=0.03)


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf")])
def test_bad_temperature_raises(bad):
    with pytest.raises(ValueError, match="temperature"):
        gen.pick(np.zeros((1, 3)), bad, np.random.default_rng(0))


def test_sampling_needs_rng():
    with pytest.raises(ValueError, match="rng"):
        gen.pick(np.zeros((1, 3)), 1.0, None)


def test_sampling_stops_at_eos():
    m = lm_model()
    eos = 1
    m.params["head.b"][:] = 0
    m.params["head.b"][eos] = 50.0          # EOS is (almost surely) the first sample
    out = gen.sample_tokens(m, 0, eos_id=eos, max_len=20, temperature=1.0, rng=np.random.default_rng(0), n=4)
    assert out == [[eos]] * 4
    m.params["head.b"][eos] = -50.0         # never EOS: runs to the length limit
    out = gen.sample_tokens(m, 0, eos_id=eos, max_len=7, temperature=1.0, rng=np.random.default_rng(0), n=3)
    assert [len(s) for s in out] == [7, 7, 7] and all(eos not in s for s in out)


def test_sampling_is_seeded():
    m = lm_model()
    a = gen.sample_tokens(m, 0, eos_id=1, max_len=15, rng=np.random.default_rng(5), n=3)
    b = gen.sample_tokens(m, 0, eos_id=1, max_len=15, rng=np.random.default_rng(5), n=3)
    assert a == b


@pytest.mark.parametrize("cell,emb,layers", [("lstm", 0, 1), ("gru", 3, 2), ("rnn", 0, 2)])
def test_score_is_sum_of_per_token_log_probs_of_a_forward_pass(cell, emb, layers):
    m = lm_model(cell, embedding_dim=emb, layers=layers)
    x = np.array([0, 3, 2, 5, 4])
    y = np.array([3, 2, 5, 4, 1])
    per_token, total = gen.score(m, x, y)
    logits = m.forward(x[None]).logits[:, 0]                  # (T, V)
    want = log_softmax(logits)[np.arange(len(y)), y]
    assert np.allclose(per_token, want, rtol=0, atol=1e-12)
    assert total == pytest.approx(want.sum(), abs=1e-12)
    from rnncore import Batch
    assert total == pytest.approx(-m.loss(Batch(x[None], y[None])), abs=1e-10)   # L = −log P, N = 1


def test_stepping_one_token_at_a_time_equals_the_whole_sequence():
    m = lm_model("lstm", layers=2)
    x = np.array([0, 3, 2, 5])
    full = m.forward(x[None]).logits[:, 0]
    states, rows = None, []
    for tok in x:
        logits, states = gen.step(m, "rnn", np.array([[tok]]), states, tokens=True)
        rows.append(logits[0])
    assert np.allclose(np.array(rows), full, atol=1e-12)


def test_sample_prefix_is_fed_not_returned():
    m = lm_model()
    out = gen.sample_tokens(m, 0, eos_id=None, max_len=4, temperature=0.0, n=1, prefix=[3, 2])
    assert len(out[0]) == 4
    # greedy after the prefix equals the argmax of a forward pass over [start, prefix]
    logits = m.forward(np.array([[0, 3, 2]])).logits[-1, 0]
    assert out[0][0] == int(np.argmax(logits))


def one_to_many(cell="lstm", layers=1):
    cfg = ModelConfig(cell=cell, input_size=3, hidden_size=6, num_layers=layers, shape="one-to-many",
                      output="softmax", output_size=5, target_length=6, dtype="float64")
    return Model(cfg, 1)


def enc_dec(cell="lstm", bidirectional=True, layers=2, emb=0):
    cfg = ModelConfig(cell=cell, vocab_size=7, embedding_dim=emb, hidden_size=4, num_layers=layers,
                      bidirectional=bidirectional, shape="encoder-decoder", output="softmax", output_size=5,
                      target_length=4, dtype="float64")
    return Model(cfg, 2)


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_greedy_one_to_many_is_argmax_of_teacher_forced_pass_on_its_own_output(cell):
    m = one_to_many(cell, layers=2)
    x = np.random.default_rng(0).standard_normal((4, 3))
    ids = gen.greedy(m, x)
    assert ids.shape == (4, 6)
    logits = m.forward(x, y=ids).logits                      # (T_y, N, O)
    assert np.array_equal(logits.argmax(-1).T, ids)


@pytest.mark.parametrize("cell,bi,emb", [("lstm", True, 0), ("gru", False, 3), ("rnn", True, 2)])
def test_greedy_encoder_decoder_is_argmax_of_teacher_forced_pass(cell, bi, emb):
    m = enc_dec(cell, bi, emb=emb)
    rng = np.random.default_rng(1)
    x = rng.integers(0, 7, (3, 5))
    lengths = np.array([5, 2, 4])
    ids = gen.greedy(m, x, lengths)
    assert ids.shape == (3, 4)
    logits = m.forward(x, lengths, y=ids).logits
    assert np.array_equal(logits.argmax(-1).T, ids)


def test_generate_stops_at_eos_and_respects_max_len():
    m = one_to_many()
    x = np.eye(3)
    m.params["head.b"][:] = 0
    m.params["head.b"][2] = 60.0
    assert gen.generate(m, x, eos_id=2) == [[2], [2], [2]]
    assert [len(s) for s in gen.generate(m, x, max_len=3)] == [3, 3, 3]


def test_log_probs_of_encoder_decoder_match_loss():
    from rnncore import Batch
    m = enc_dec()
    rng = np.random.default_rng(2)
    x, y = rng.integers(0, 7, (1, 5)), rng.integers(0, 5, (1, 4))
    lp = gen.log_probs(m, x, y)
    assert lp.shape == (1, 4)
    assert lp.sum() == pytest.approx(-m.loss(Batch(x, y)), abs=1e-10)


def test_wrong_shapes_are_refused():
    with pytest.raises(ValueError, match="one-to-many or encoder-decoder"):
        gen.generate(lm_model(), np.zeros((1, 3), int))
    with pytest.raises(ValueError, match="many-to-many"):
        gen.sample_tokens(one_to_many(), 0, eos_id=None, max_len=3)
