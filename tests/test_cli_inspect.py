"""rnnscope sample, score and trace: outputs and error paths (split from test_cli.py)."""
import json

import numpy as np
import pytest

from app import cli
from rnncore.runs import load_run
from rnncore.tasks import TASKS
from cli_helpers import FIX, assert_usage_error, run, train
from test_runs import TinyTask, _tiny_registered  # noqa: F401  (the test-only task "_tiny", registered per test)


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
