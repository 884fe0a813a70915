"""The agreement task's named presets: what each sets, never how well it trains (issue 8)."""
import pytest

from rnncore.config import ConfigError
from rnncore.tasks import make_task
from rnncore.tasks.agreement import PRESETS


def test_no_preset_keeps_the_defaults():
    task = make_task("agreement")
    assert task.options["preset"] == "" and task.mode == "classify"
    assert task.model_config().hidden_size == 32 and task.default_steps == 2500


def test_number_units_is_a_language_model_with_many_units():
    task = make_task("agreement", preset="number-units")
    mc = task.model_config()
    assert task.mode == "lm" and mc.shape == "many-to-many" and mc.output == "softmax"
    assert mc.cell == "lstm" and mc.hidden_size == PRESETS["number-units"]["model"]["hidden_size"]
    assert task.default_steps == PRESETS["number-units"]["steps"]
    assert task.distance == make_task("agreement").distance      # the default grammar and splits
    assert make_task("agreement").model_config().hidden_size == 32  # the class defaults are untouched


def test_explicit_options_and_fields_win_over_the_preset():
    task = make_task("agreement", preset="number-units", distance="2-10")
    assert task.mode == "lm" and task.distance == (2, 10)
    assert task.model_config(hidden_size=16).hidden_size == 16
    assert task.with_options(eval_per_cell=2).mode == "lm"


@pytest.mark.parametrize("bad", ["numbers", 3, None])
def test_unknown_preset_is_one_clear_error(bad):
    with pytest.raises(ConfigError, match="preset"):
        make_task("agreement", preset=bad)
