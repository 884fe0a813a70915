"""The rnnscope command: each sub-command, each error path (in-process and a few via subprocess)."""
import json
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from app import cli
from rnncore.model import Model
from rnncore.runs import load_run
from rnncore.tasks import TASKS
from rnncore.trainer import Trainer
from test_runs import TinyTask, _tiny_registered  # noqa: F401  (the test-only task "_tiny", registered per test)

FIX = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def assert_usage_error(code, err, *needles):
    assert code == 2
    assert "Traceback" not in err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    for n in needles:
        assert n in lines[0], lines[0]


def train(capsys, tmp_path, name="r.npz", *extra, steps=6):
    path = tmp_path / name
    code, out, err = run(capsys, "train", "--task", "_tiny", "--steps", steps, "--seed", 1, "--out", path, *extra)
    assert code == 0, err
    return path


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


# -- sample and score ------------------------------------------------------------------------
def test_sample_and_score_need_a_task_that_can(capsys, tmp_path):
    path = train(capsys, tmp_path)
    code, _, err = run(capsys, "sample", "--run", path)
    assert_usage_error(code, err, "task '_tiny' cannot sample")
    code, _, err = run(capsys, "score", "--run", path, "a b c")
    assert_usage_error(code, err, "task '_tiny' cannot score")


@pytest.fixture(scope="module")
def lm_run(tmp_path_factory):
    if "lm" not in TASKS:
        pytest.skip("the lm task is not available")
    path = tmp_path_factory.mktemp("lm") / "lm.npz"
    assert cli.main(["train", "--task", "lm", "--hidden", "8", "--steps", "3", "--quiet", "--out", str(path)]) == 0
    return path


def test_sample(capsys, lm_run):
    code, out, err = run(capsys, "sample", "--run", lm_run, "-n", 3, "--seed", 4, "--temperature", 0.7,
                         "--max-len", 12)
    assert code == 0, err
    lines = out.split("\n")[:-1]
    assert len(lines) == 3 and all(len(s) <= 12 for s in lines)
    assert run(capsys, "sample", "--run", lm_run, "-n", 3, "--seed", 4, "--temperature", 0.7, "--max-len", 12)[1] == out
    code, out, _ = run(capsys, "sample", "--run", lm_run, "-n", 2, "--seed", 1, "--json", "--temperature", 0)
    assert len(json.loads(out)) == 2


def test_score(capsys, lm_run):
    code, out, err = run(capsys, "score", "--run", lm_run, "the apple and pear salad", "the apple and pair salad")
    assert code == 0, err
    assert out.count("total log P") == 2 and "<eos>" in out
    code, out, _ = run(capsys, "score", "--run", lm_run, "the pear salad", "--json")
    (r,) = json.loads(out)
    assert r["total"] == pytest.approx(sum(r["log_probs"])) and r["tokens"][-1] == "<eos>"


# -- trace --------------------------------------------------------------------------------------
def test_trace_of_a_run_with_text_input_and_backward(capsys, tmp_path):
    path = train(capsys, tmp_path, "r.npz", "--cell", "lstm", "--bidirectional")
    f = tmp_path / "in.txt"
    f.write_text("b a c a a\na c\n")
    G = np.random.default_rng(0).standard_normal((2, 2))
    np.save(tmp_path / "G.npy", G)
    out = tmp_path / "t.npz"
    code, text, err = run(capsys, "trace", "--run", path, "--input", f, "--out", out, "--backward", tmp_path / "G.npy")
    assert code == 0, err
    z = dict(np.load(out, allow_pickle=False))
    for d in ("fwd", "bwd"):
        for k in ("gamma_u", "gamma_f", "gamma_o", "c_tilde", "c", "a", "da"):
            assert z[f"rnn.l0.{d}.{k}"].shape == (2, 5, 6)              # batch-first, as the file says
    assert json.loads(str(z["meta"]))["layout"] == "batch-first"
    assert z["tokens"].tolist() == [["b", "a", "c", "a", "a"], ["a", "c", "", "", ""]]
    assert z["lengths"].tolist() == [5, 2] and z["outputs"].shape == (2, 1, 2) and z["loss"].shape == (2, 1)
    # the same numbers as the core's own trace and gradients
    from rnncore.data import Batch
    from rnncore.torch_import import outputs_backward
    model = load_run(path).make_model()
    x = np.array([[1, 0, 2, 0, 0], [0, 2, 0, 0, 0]])
    tr = model.trace(Batch(x, np.array([1, 0]), np.array([5, 2]))).flat()
    for k, v in tr.items():
        np.testing.assert_array_equal(z[k], v if k == "lengths" else np.swapaxes(v, 0, 1))
    _, grads, _ = outputs_backward(model, x, G, np.array([5, 2]))
    assert {k[5:] for k in z if k.startswith("grad.")} == set(model.params)
    for k, g in grads.items():
        np.testing.assert_array_equal(z[f"grad.{k}"], g)


def test_trace_of_pytorch_weights(capsys, tmp_path):
    ref = np.load(FIX / "torch_state_reference.npz")
    np.save(tmp_path / "x.npy", ref["lstm.x"])
    np.save(tmp_path / "G.npy", ref["lstm.G"])
    out = tmp_path / "t.npz"
    code, _, err = run(capsys, "trace", "--weights", FIX / "torch_state_lstm.safetensors", "--input", tmp_path / "x.npy",
                       "--out", out, "--backward", tmp_path / "G.npy")
    assert code == 0, err
    z = np.load(out)
    assert "loss" not in z.files and "rnn.l1.bwd.gamma_f" in z.files and "rnn.l0.fwd.da" not in z.files
    assert z["outputs"].shape == z["grad.input"].shape[:2] + (3,)     # one layout: batch-first
    np.testing.assert_allclose(z["outputs"], ref["lstm.output"], rtol=1e-12, atol=1e-14)
    grads = {k[5:] for k in z.files if k.startswith("grad.")}
    torch_names = {k[len("lstm.grad."):] for k in ref.files if k.startswith("lstm.grad.")}
    assert grads == torch_names                    # PyTorch's names, 'input' included
    for k in torch_names:
        np.testing.assert_allclose(z[f"grad.{k}"], ref[f"lstm.grad.{k}"], rtol=1e-10, atol=1e-13)
    # a single sequence (T, D) and an .npz with lengths work too
    np.save(tmp_path / "one.npy", ref["lstm.x"][0])
    assert run(capsys, "trace", "--weights", FIX / "torch_state_lstm.safetensors", "--input", tmp_path / "one.npy",
               "--out", out)[0] == 0
    assert np.load(out)["outputs"].shape == (1, 5, 3)
    np.savez(tmp_path / "in.npz", x=ref["lstm.x"], lengths=np.array([5, 3]))
    assert run(capsys, "trace", "--weights", FIX / "torch_state_lstm.safetensors", "--input", tmp_path / "in.npz",
               "--out", out)[0] == 0
    assert np.load(out)["lengths"].tolist() == [5, 3]


def test_trace_errors(capsys, tmp_path):
    w = FIX / "torch_state_rnn_tanh.npz"
    np.save(tmp_path / "x.npy", np.zeros((1, 4, 2)))
    np.save(tmp_path / "G.npy", np.zeros((3, 3)))
    (tmp_path / "x.txt").write_text("hello\n")
    base = ["trace", "--out", tmp_path / "t.npz"]
    code, _, err = run(capsys, *base, "--weights", w, "--input", tmp_path / "x.npy")
    assert_usage_error(code, err, "holds an nn.RNN", "--nonlinearity", str(w))
    base.extend(["--nonlinearity", "tanh"])
    cases = [
        (["--weights", w, "--input", tmp_path / "x.txt"], ["arrays only"]),
        (["--weights", w, "--input", tmp_path / "x.npy", "--backward", tmp_path / "G.npy"],
         ["--backward", "G must have the outputs' shape (1, 4, 3)"]),
        (["--weights", w, "--input", tmp_path / "missing.npy"], ["--input", "no such file"]),
        (["--weights", w, "--input", tmp_path / "x.npy", "--backward", tmp_path / "nope.npy"], ["--backward", "no such"]),
        (["--weights", tmp_path / "x.txt", "--input", tmp_path / "x.npy"], ["expected a .safetensors or .npz"]),
        (["--weights", FIX / "torch_state_gru.npz", "--input", tmp_path / "x.npy"], ["x must have shape (N, T_x, 3)"]),
        (["--weights", FIX / "torch_state_gru.npz", "--nonlinearity", "relu", "--input", tmp_path / "x.npy"],
         ["nonlinearity applies to nn.RNN only"]),
    ]
    for extra, needles in cases:
        code, _, err = run(capsys, *base, *extra)
        assert_usage_error(code, err, *needles)
    code, _, err = run(capsys, "trace", "--weights", w, "--input", tmp_path / "x.npy", "--out", tmp_path / "t.txt")
    assert_usage_error(code, err, "--out must end in .npz")


# -- as a real process ---------------------------------------------------------------------------
def _cli(*argv, **kw):
    return subprocess.run([sys.executable, "-m", "app.cli", *map(str, argv)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, **kw)


def test_subprocess_bad_value_exit_2_without_traceback(tmp_path):
    p = _cli("train", "--task", "adding", "--hidden", "-3", "--out", tmp_path / "x.npz")
    assert p.returncode == 2 and p.stderr.count("\n") == 1 and "Traceback" not in p.stderr
    assert "--hidden" in p.stderr
    p = _cli("eval", "--run", tmp_path / "missing.npz")
    assert p.returncode == 2 and p.stderr.strip() == f"rnnscope eval: error: run file '{tmp_path / 'missing.npz'}': no such file"


def test_subprocess_ctrl_c_saves_and_resumes(tmp_path):
    if "adding" not in TASKS:
        pytest.skip("the adding task is not available")
    out = tmp_path / "r.npz"
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "train", "--task", "adding", "--length", "8",
                             "--hidden", "4", "--steps", "1000000", "--out", str(out)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        buf = ""
        while "loss=" not in buf:           # steps are being taken (read() returns '' if the process ended)
            ch = proc.stderr.read(1)
            assert ch, f"the process ended before training: {buf}"
            buf += ch
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    r = load_run(out)
    assert r.step > 0 and r.info["interrupted"] is True
    p = _cli("train", "--resume", out, "--steps", "2", "--quiet")
    assert p.returncode == 0 and load_run(out).step == r.step + 2


def test_installed_console_script(tmp_path):
    exe = Path(sys.executable).parent / "rnnscope"
    if not exe.exists():
        pytest.skip("the rnnscope script is not installed in this environment")
    p = subprocess.run([str(exe), "tasks", "--json"], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0 and isinstance(json.loads(p.stdout), list)
    p = subprocess.run([str(exe), "train", "--task", "adding", "--lr", "0", "--out", str(tmp_path / "x.npz")],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 2 and p.stderr == "rnnscope train: error: argument --lr: must be a number > 0.0 and " \
                                             "<= 1000.0, got '0' (see rnnscope train --help)\n"


def test_cli_trace_names_the_input_file_when_its_array_is_refused(tmp_path):
    import contextlib
    import io
    from app.cli import main
    from rnncore.runs import save_run
    from rnncore.tasks import make_task
    from rnncore.trainer import Trainer
    task = make_task("names")
    tr = Trainer.create(task.model_config(hidden_size=3), task.train_config(batch_size=4), task)
    run = save_run(tmp_path / "r.npz", tr, task)
    inp = tmp_path / "x.npy"
    np.save(inp, np.zeros(()))
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["trace", "--run", str(run), "--input", str(inp), "--out", str(tmp_path / "o.npz")])
    assert code == 2
    assert str(inp) in err.getvalue(), err.getvalue()


def test_cli_nonlinearity_choices_are_the_importers():
    from rnncore.torch_import import NONLINEARITIES
    assert cli.NONLINEARITIES == NONLINEARITIES
