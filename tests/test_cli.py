"""The rnnscope command: each sub-command, each error path (in-process and a few via subprocess)."""
import json
import signal

import numpy as np
import pytest

from app import cli
from rnncore.model import Model
from rnncore.runs import load_run
from rnncore.tasks import TASKS
from rnncore.trainer import Trainer
from cli_helpers import assert_usage_error, run, train
from test_runs import TinyTask, _tiny_registered  # noqa: F401  (the test-only task "_tiny", registered per test)

# -- dispatch ------------------------------------------------------------------------
def test_no_command_or_gui_flags_start_the_gui(monkeypatch):
    seen = []
    import app.gui
    monkeypatch.setattr(app.gui, "run_gui", lambda args: seen.append(args) or 0)
    assert cli.main([]) == 0
    assert cli.main(["--task", "adding", "--steps", "3", "--screenshot", "out.png", "--size", "800x600"]) == 0
    assert seen[0].task is None and seen[0].screenshot is None
    assert (seen[1].task, seen[1].steps, seen[1].screenshot, seen[1].size) == ("adding", 3, "out.png", (800, 600))


@pytest.mark.parametrize("argv,needles", [
    (["--cell", "tree"], ["--cell", "invalid choice", "gru-simple"]),
    (["--hidden", "0"], ["--hidden", "[1, 8192]"]),
    (["--size", "big"], ["--size", "WIDTHxHEIGHT"]),
    (["--task", "adding", "--bogus"], ["unrecognized arguments: --bogus"]),
])
def test_window_flags_are_parsed_by_the_one_parser(capsys, monkeypatch, argv, needles):
    """The window's flags come from the same parser as the commands (and the core's cell names)."""
    import app.gui
    monkeypatch.setattr(app.gui, "run_gui", lambda args: pytest.fail("the window opened"))
    code, _, err = run(capsys, *argv)
    assert_usage_error(code, err, *needles)


def test_help_and_unknown_command(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "train" in out and "trace" in out
    code, out, _ = run(capsys, "trace", "--help")
    assert code == 0 and "rnn.l0.fwd" in out.replace("{part}.l{l}", "rnn.l0.fwd") and "grad.input" in out
    code, _, err = run(capsys, "fly")
    assert_usage_error(code, err, "unknown command 'fly'")


# -- tasks ------------------------------------------------------------------------------
def test_tasks_lists_every_task(capsys):
    code, out, _ = run(capsys, "tasks")
    assert code == 0
    assert "_tiny" in TASKS
    public = [n for n in TASKS if not n.startswith("_")]
    for name in public:
        assert name in out
    assert "_tiny" not in out
    code, out, _ = run(capsys, "tasks", "--json")
    rows = json.loads(out)
    assert {r["name"] for r in rows} == set(public)
    for r in rows:
        assert {"shape", "lesson", "options", "model", "train", "steps"} <= set(r)


# -- train --------------------------------------------------------------------------------
def test_train_saves_a_run_with_the_flags(capsys, tmp_path):
    path = tmp_path / "r.npz"
    code, out, err = run(capsys, "train", "--task", "_tiny", "--cell", "lstm", "--hidden", 5, "--layers", 2,
                         "--bidirectional", "--steps", 4, "--lr", 0.02, "--optimizer", "sgd", "--momentum", 0.5,
                         "--clip-value", 0.5, "--seed", 9, "--batch", 3, "--dtype", "float32",
                         "--span", "1-3", "--flip", "--option", "length=4", "--out", path)
    assert code == 0, err
    assert "step 4" in out and str(path) in out
    r = load_run(path)
    m, t = r.model_config, r.train_config
    assert (m.cell, m.hidden_size, m.num_layers, m.bidirectional, m.dtype) == ("lstm", 5, 2, True, "float32")
    assert (t.lr, t.optimizer, t.momentum, t.clip, t.clip_threshold, t.seed, t.batch_size) == \
        (0.02, "sgd", 0.5, "value", 0.5, 9, 3)
    assert r.make_task().options == {"length": 4, "span": (1, 3), "flip": True}
    assert r.step == 4 and r.info["interrupted"] is False and r.info["diverged"] is None


def test_train_defaults_from_the_task(capsys, tmp_path):
    r = load_run(train(capsys, tmp_path))
    assert r.model_config.cell == "gru" and r.model_config.hidden_size == 6 and r.train_config.lr == 0.05


def test_resume_via_cli_is_bit_for_bit(capsys, tmp_path):
    whole = train(capsys, tmp_path, "whole.npz", steps=10)
    half = train(capsys, tmp_path, "half.npz", steps=5)
    code, out, err = run(capsys, "train", "--resume", half, "--steps", 5, "--out", tmp_path / "resumed.npz")
    assert code == 0, err
    a, b = load_run(whole), load_run(tmp_path / "resumed.npz")
    assert b.step == 10
    for k in a.weights:
        np.testing.assert_array_equal(a.weights[k], b.weights[k])
    np.testing.assert_array_equal(a.history.arrays()["loss"], b.history.arrays()["loss"])
    # without --out the run file itself is continued
    code, _, _ = run(capsys, "train", "--resume", half, "--steps", 2, "--quiet")
    assert code == 0 and load_run(half).step == 7


def test_resume_refuses_model_flags(capsys, tmp_path):
    half = train(capsys, tmp_path)
    code, _, err = run(capsys, "train", "--resume", half, "--cell", "lstm", "--steps", 1)
    assert_usage_error(code, err, "--cell", "cannot be given with --resume")
    code, _, err = run(capsys, "train", "--resume", half, "--length", 3)
    assert_usage_error(code, err, "task options")
    code, _, _ = run(capsys, "train", "--resume", half, "--lr", 0.001, "--steps", 1, "--quiet")
    assert code == 0 and load_run(half).train_config.lr == 0.001


def test_ctrl_c_saves_what_was_trained(capsys, tmp_path, monkeypatch):
    original = Trainer.train_step

    def step_then_interrupt(self):
        snap = original(self)
        if self.step == 3:
            signal.raise_signal(signal.SIGINT)      # as if the user pressed Ctrl+C during step 3
        return snap
    monkeypatch.setattr(Trainer, "train_step", step_then_interrupt)
    path = tmp_path / "r.npz"
    code, out, err = run(capsys, "train", "--task", "_tiny", "--steps", 50, "--out", path)
    assert code == 130 and "interrupted" in err and "Traceback" not in err
    r = load_run(path)
    assert r.step == 3 and r.info["interrupted"] is True and r.info["target_steps"] == 50
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler      # handler restored
    monkeypatch.undo()
    code, _, err = run(capsys, "train", "--resume", path, "--quiet")           # finishes the 50 steps
    assert code == 0, err
    assert load_run(path).step == 50


def test_diverged_run_saves_last_good_weights(capsys, tmp_path, monkeypatch):
    original = Model.forward_loss
    calls = []

    def nan_at_fourth(self, batch):
        fwd, (loss, *rest) = original(self, batch)
        calls.append(1)
        return fwd, (float("nan") if len(calls) == 4 else loss, *rest)
    monkeypatch.setattr(Model, "forward_loss", nan_at_fourth)
    path = tmp_path / "r.npz"
    code, out, err = run(capsys, "train", "--task", "_tiny", "--steps", 10, "--seed", 1, "--out", path)
    monkeypatch.undo()
    assert code == 1 and "diverged" in err and "step 3" in err and "Traceback" not in err
    r = load_run(path)
    assert r.step == 3 and "the loss became nan at step 4" in r.info["diverged"]
    ref = load_run(train(capsys, tmp_path, "ref.npz", steps=3))
    for k in ref.weights:
        np.testing.assert_array_equal(ref.weights[k], r.weights[k])


@pytest.mark.parametrize("argv,needles", [
    (["train", "--task", "_tiny", "--hidden", "0", "--out", "x.npz"], ["--hidden", "[1, 8192]", "got 0"]),
    (["train", "--task", "_tiny", "--layers", "99", "--out", "x.npz"], ["--layers", "[1, 16]"]),
    (["train", "--task", "_tiny", "--lr", "-1", "--out", "x.npz"], ["--lr", "> 0.0"]),
    (["train", "--task", "_tiny", "--lr", "nan", "--out", "x.npz"], ["--lr", "> 0.0"]),
    (["train", "--task", "_tiny", "--steps", "many", "--out", "x.npz"], ["--steps", "integer"]),
    (["train", "--task", "_tiny", "--batch", "0", "--out", "x.npz"], ["--batch", "[1, 65536]"]),
    (["train", "--task", "_tiny", "--cell", "tree", "--out", "x.npz"], ["--cell", "invalid choice", "lstm"]),
    (["train", "--task", "_tiny", "--clip-norm", "1", "--clip-value", "1", "--out", "x.npz"],
     ["--clip-value", "not allowed with"]),
    (["train", "--task", "_tiny", "--optimizer", "rmsprop", "--out", "x.npz"], ["--optimizer", "'sgd', 'adam'"]),
    (["train", "--task", "nope", "--out", "x.npz"], ["--task must be one of", "'nope'"]),
    (["train", "--out", "x.npz"], ["--task is required"]),
    (["train", "--task", "_tiny"], ["--out RUN.npz is required"]),
    (["train", "--task", "_tiny", "--out", "x.txt"], ["--out must end in .npz"]),
    (["train", "--task", "_tiny", "--out", "no/such/dir/x.npz"], ["does not exist"]),
    (["train", "--task", "_tiny", "--bogus", "3", "--out", "x.npz"], ["unknown option --bogus", "--length, --span, --flip"]),
    (["train", "--task", "_tiny", "--length", "abc", "--out", "x.npz"], ["--length must be an integer", "'abc'"]),
    (["train", "--task", "_tiny", "--flip", "maybe", "--out", "x.npz"], ["--flip must be true or false"]),
    (["train", "--task", "_tiny", "--option", "length", "--out", "x.npz"], ["--option must be KEY=VALUE"]),
    (["train", "--task", "_tiny", "stray", "--out", "x.npz"], ["unexpected argument 'stray'"]),
    (["train", "--task", "_tiny", "--cell", "rnn", "--activation", "relu", "--embedding", "0", "--dtype", "float16",
      "--out", "x.npz"], ["--dtype", "invalid choice"]),
    (["train", "--task", "_tiny", "--cell", "gru", "--activation", "relu", "--out", "x.npz"],
     ["activation applies to cell 'rnn' only"]),
    (["train", "--resume", "missing.npz"], ["run file 'missing.npz': no such file"]),
    (["eval"], ["--run"]),
    (["eval", "--run", "missing.npz"], ["no such file"]),
    (["sample", "--run", "x.npz", "--temperature", "-1"], ["--temperature", ">= 0.0"]),
    (["sample", "--run", "x.npz", "-n", "0"], ["-n", "[1, 10000]"]),
    (["score", "--run", "x.npz"], ["text"]),
    (["trace", "--input", "x.txt", "--out", "t.npz"], ["--run", "--weights", "required"]),
    (["trace", "--run", "a.npz", "--weights", "b.npz", "--input", "x", "--out", "t.npz"], ["not allowed with"]),
    (["eval", "--run", "x.npz", "--bogus"], ["unrecognized arguments: --bogus"]),
])
def test_bad_flags_give_one_line_and_exit_2(capsys, tmp_path, monkeypatch, argv, needles):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert_usage_error(code, err, *needles)
    assert not list(tmp_path.glob("x.npz"))


def test_config_errors_from_the_core_are_one_line(capsys, tmp_path):
    # a combination only ModelConfig can judge
    code, _, err = run(capsys, "train", "--task", "_tiny", "--embedding", "3", "--cell", "gru-simple",
                       "--activation", "sigmoid", "--out", tmp_path / "x.npz")
    assert_usage_error(code, err, "activation applies to cell 'rnn' only")


def test_damaged_run_file_is_one_line(capsys, tmp_path):
    path = train(capsys, tmp_path)
    path.write_bytes(path.read_bytes()[:100])
    for cmd in (["eval", "--run", path], ["sample", "--run", path], ["train", "--resume", path]):
        code, _, err = run(capsys, *cmd)
        assert_usage_error(code, err, str(path), "truncated")


# -- eval -----------------------------------------------------------------------------------
def test_eval_metrics_table_and_json(capsys, tmp_path):
    path = train(capsys, tmp_path, steps=30)
    code, out, _ = run(capsys, "eval", "--run", path)
    assert code == 0
    assert out.splitlines()[0].startswith("accuracy") and "accuracy_by_first" in out
    code, out, _ = run(capsys, "eval", "--run", path, "--json", "--seed", 3)
    m = json.loads(out)
    assert 0 <= m["accuracy"] <= 1 and set(m["accuracy_by_first"]) == {"a", "b", "c"}


def test_eval_predictions_for_the_users_lines(capsys, tmp_path):
    path = train(capsys, tmp_path, steps=60)
    f = tmp_path / "in.txt"
    f.write_text("b a c a a\n\na c c\n")
    code, out, err = run(capsys, "eval", "--run", path, "--input", f)
    assert code == 0, err
    assert "b a c a a" in out and "→ yes" in out and "→ no" in out
    code, out, _ = run(capsys, "eval", "--run", path, "--input", f, "--json")
    res = json.loads(out)
    assert [r["prediction"] for r in res] == ["yes", "no"] and res[0]["tokens"] == ["b", "a", "c", "a", "a"]


@pytest.mark.parametrize("content,needles", [
    ("a b c\n\na b z q z\n", ["line 3: unknown token(s): 'z', 'q'"]),
    ("", ["no sequences"]),
    (b"\x00\x01binary", ["binary file"]),
    (b"a \xff b\n", ["not valid UTF-8"]),
])
def test_eval_input_errors(capsys, tmp_path, content, needles):
    path = train(capsys, tmp_path)
    f = tmp_path / "in.txt"
    f.write_bytes(content if isinstance(content, bytes) else content.encode())
    code, _, err = run(capsys, "eval", "--run", path, "--input", f)
    assert_usage_error(code, err, *needles)
    code, _, err = run(capsys, "eval", "--run", path, "--input", tmp_path / "none.txt")
    assert_usage_error(code, err, "no such file")
