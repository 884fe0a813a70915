"""Property-based hardening of the core: any configuration and any input either
works or raises ConfigError / InputError with a message — never another exception."""
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnncore import Batch, ConfigError, InputError, Model, ModelConfig, TrainConfig
from rnncore.config import CELLS, OUTPUTS, SHAPES

values = st.one_of(st.integers(-3, 40), st.floats(allow_nan=True, allow_infinity=True),
                   st.booleans(), st.none(), st.text(max_size=5), st.just(10**12))

config_fields = st.fixed_dictionaries({}, optional={
    "cell": st.one_of(st.sampled_from(CELLS), values),
    "hidden_size": values, "input_size": values, "vocab_size": values,
    "embedding_dim": values, "num_layers": values, "bidirectional": values,
    "shape": st.one_of(st.sampled_from(SHAPES), values),
    "output_size": values, "output": st.one_of(st.sampled_from(OUTPUTS), values),
    "activation": values, "reset_after": values, "target_length": values,
    "loss_reduction": values, "dtype": values,
})


@settings(max_examples=600, deadline=None)
@given(config_fields)
def test_any_model_config_is_valid_or_explained(fields):
    try:
        cfg = ModelConfig(**fields)
    except ConfigError as e:
        assert str(e)
        return
    assert cfg.hidden_size >= 1


@settings(max_examples=300, deadline=None)
@given(st.fixed_dictionaries({}, optional={
    "optimizer": values, "lr": values, "momentum": values, "beta1": values, "beta2": values,
    "eps": values, "clip": values, "clip_threshold": values, "batch_size": values, "seed": values,
    "trace_every": values}))
def test_any_train_config_is_valid_or_explained(fields):
    try:
        TrainConfig(**fields)
    except ConfigError as e:
        assert str(e)


MODELS = {
    "floats": Model(ModelConfig(cell="lstm", input_size=3, hidden_size=4, output_size=2), 0),
    "tokens": Model(ModelConfig(cell="gru", vocab_size=5, hidden_size=3, output="softmax",
                                output_size=3, shape="many-to-one", bidirectional=True), 0),
    "encdec": Model(ModelConfig(cell="rnn", vocab_size=5, hidden_size=3, output="softmax", output_size=4,
                                shape="encoder-decoder", target_length=3), 0),
    "one2many": Model(ModelConfig(cell="gru-simple", input_size=2, hidden_size=3, output="softmax",
                                  output_size=4, shape="one-to-many", target_length=3), 0),
}

elements = st.one_of(st.floats(allow_nan=True, allow_infinity=True, width=32), st.integers(-5, 9))
arrays = st.one_of(
    st.lists(st.lists(elements, max_size=4), max_size=3),
    st.lists(st.lists(st.lists(elements, min_size=0, max_size=4), max_size=4), max_size=3),
    st.lists(elements, max_size=4),
    st.just([]), st.just("text"), st.none(), elements,
)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(MODELS)), arrays, arrays, st.one_of(st.none(), arrays))
def test_any_input_works_or_is_explained(which, x, y, lengths):
    model = MODELS[which]
    try:
        res = model.loss_and_grads(Batch(x, y, lengths))
    except (InputError, ValueError) as e:
        assert type(e) in (InputError,) or "InputError" in type(e).__mro__.__repr__() or str(e)
        assert isinstance(e, InputError), f"{type(e).__name__}: {e}"
        return
    assert np.isfinite(res.loss)


from hypothesis.extra import numpy as hnp  # noqa: E402


@st.composite
def shaped_batches(draw):
    N = draw(st.integers(1, 3))
    T = draw(st.integers(1, 4))
    bad_dim = draw(st.sampled_from([0, 0, 0, 1, 2]))
    x = draw(hnp.arrays(np.float64, (N, T, 3 + (bad_dim == 1)),
                        elements=st.floats(allow_nan=True, allow_infinity=True, width=32)))
    y = draw(hnp.arrays(np.float64, (N, T, 2 + (bad_dim == 2)),
                        elements=st.floats(-0.5, 1.5, width=32)))
    lengths = draw(st.one_of(st.none(), hnp.arrays(np.int64, (N,), elements=st.integers(-1, T + 1))))
    return Batch(x, y, lengths)


@settings(max_examples=400, deadline=None)
@given(shaped_batches())
def test_shaped_inputs_work_or_are_explained(batch):
    try:
        res = MODELS["floats"].loss_and_grads(batch)
    except InputError as e:
        assert str(e)
        return
    assert np.isfinite(res.loss)
    assert all(np.isfinite(g).all() for g in res.grads.values())
