"""Wrong values raise clear errors naming the field and the value."""
import numpy as np
import pytest

from rnncore import Batch, ConfigError, InputError, Model, ModelConfig, TrainConfig


@pytest.mark.parametrize("kwargs,message", [
    (dict(hidden_size=0), "hidden_size must be >= 1, got 0"),
    (dict(cell="transformer"), "cell must be one of rnn, gru-simple, gru, lstm; got 'transformer'"),
    (dict(shape="encoder-decoder", output="softmax", output_size=3), "target_length must be >= 1 for shape 'encoder-decoder'"),
    (dict(input_size=0), "input_size must be > 0 when vocab_size is 0"),
    (dict(num_layers=2.5), "num_layers must be an integer, got 2.5"),
    (dict(hidden_size=10**9), "hidden_size must be <= 8192"),
    (dict(reset_after=True, cell="lstm"), "reset_after applies to cell 'gru' only"),
    (dict(output="softmax", output_size=1), "output_size must be >= 2 for softmax"),
    (dict(shape="one-to-many", bidirectional=True, output="softmax", output_size=3, target_length=4),
     "bidirectional must be false for shape 'one-to-many'"),
    (dict(dtype="float16"), "dtype must be one of float32, float64"),
])
def test_model_config_errors(kwargs, message):
    base = dict(input_size=3)
    base.update(kwargs)
    with pytest.raises(ConfigError) as e:
        ModelConfig(**base)
    assert message in str(e.value)


@pytest.mark.parametrize("kwargs,message", [
    (dict(lr=0), "lr must be > 0.0, got 0"),
    (dict(lr=float("nan")), "lr must be a finite number, got nan"),
    (dict(clip="sometimes"), "clip must be one of none, norm, value"),
    (dict(batch_size=0), "batch_size must be >= 1, got 0"),
    (dict(clip_threshold=-1.0), "clip_threshold must be > 0.0, got -1.0"),
])
def test_train_config_errors(kwargs, message):
    with pytest.raises(ConfigError) as e:
        TrainConfig(**kwargs)
    assert message in str(e.value)


def test_config_round_trip():
    c = ModelConfig(cell="gru", reset_after=True, input_size=4, bidirectional=True)
    assert ModelConfig.from_dict(c.to_dict()) == c
    with pytest.raises(ConfigError, match="unknown ModelConfig field"):
        ModelConfig.from_dict({**c.to_dict(), "colour": "red"})


@pytest.fixture
def model():
    return Model(ModelConfig(cell="lstm", input_size=3, hidden_size=4, output_size=2), 0)


@pytest.mark.parametrize("x,y,lengths,message", [
    (np.zeros((2, 5, 4)), np.zeros((2, 5, 2)), None, "x must have shape (N, T_x, 3) for input_size=3, got (2, 5, 4)"),
    (np.zeros((2, 5)), np.zeros((2, 5, 2)), None, "x must have shape (N, T_x, 3)"),
    (np.full((2, 5, 3), np.nan), np.zeros((2, 5, 2)), None, "x contains NaN or Inf (first at index (0, 0, 0))"),
    (np.zeros((2, 5, 3)), np.zeros((2, 4, 2)), None, "y must have shape (N, 5, 2)"),
    (np.zeros((2, 5, 3)), np.full((2, 5, 2), 2.0), None, "y must be in [0, 1] for sigmoid outputs"),
    (np.zeros((2, 5, 3)), np.zeros((3, 5, 2)), None, "y must have one row per sequence of x"),
    (np.zeros((2, 5, 3)), np.zeros((2, 5, 2)), [5, 9], "x_lengths must hold ids in [0, 6)"),
    (np.zeros((2, 5, 3)), np.zeros((2, 5, 2)), [5, 0], "x_lengths must be >= 1"),
    (np.zeros((2, 5, 3)), np.zeros((2, 5, 2)), [5], "x_lengths must have shape (2,)"),
    ([[1, 2], [3]], np.zeros((2, 5, 2)), None, "x must be a rectangular array of numbers"),
    (np.array([["a"]]), np.zeros((2, 5, 2)), None, "x must hold numbers"),
])
def test_input_errors(model, x, y, lengths, message):
    with pytest.raises(InputError) as e:
        model.loss_and_grads(Batch(x, y, lengths))
    assert message in str(e.value)


def test_token_errors():
    m = Model(ModelConfig(cell="gru", vocab_size=5, output="softmax", output_size=3), 0)
    with pytest.raises(InputError, match=r"x must hold ids in \[0, 5\), got values from 0 to 7"):
        m.loss_and_grads(Batch(np.array([[0, 7]]), np.array([[0, 1]])))
    with pytest.raises(InputError, match=r"y must hold ids in \[0, 3\)"):
        m.loss_and_grads(Batch(np.array([[0, 1]]), np.array([[0, 3]])))


def test_weights_errors(model):
    state = model.state_dict()
    state["head.W"] = np.zeros((1, 1))
    with pytest.raises(ValueError, match=r"weight 'head.W' has shape \(1, 1\), the model needs \(4, 2\)"):
        model.load_state_dict(state)
    del state["head.W"]
    with pytest.raises(ValueError, match="missing \\['head.W'\\]"):
        model.load_state_dict(state)


def test_padding_may_hold_anything(model):
    x = np.zeros((2, 5, 3))
    x[1, 3:] = np.nan
    res = model.loss_and_grads(Batch(x, np.zeros((2, 5, 2)), [5, 3]))
    assert np.isfinite(res.loss)


def test_load_state_dict_refuses_complex_weights_and_changes_nothing():
    import warnings
    from rnncore import ModelConfig
    from rnncore.model import Model
    m = Model(ModelConfig(cell="gru", input_size=2, hidden_size=3, output_size=1), 0)
    before = {k: v.copy() for k, v in m.params.items()}
    bad = {k: v + 1 for k, v in before.items()}
    bad["rnn.l0.fwd.Wh"] = bad["rnn.l0.fwd.Wh"] + 1j
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError):
            m.load_state_dict(bad)
    for k, v in m.params.items():
        np.testing.assert_array_equal(v, before[k], err_msg=f"{k} changed")
