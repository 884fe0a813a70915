"""Run files: round trip, resume bit for bit, atomic save, damaged files."""
import json
import os
import zipfile

import numpy as np
import pytest

from rnncore import Batch, ModelConfig, TrainConfig
from rnncore.runs import RunFileError, load_run, restore_trainer, run_from_trainer, save_run
from rnncore.tasks.base import TASKS, Task, Vocab
from rnncore.trainer import Trainer


class TinyTask(Task):
    """Test-only task: is the first token 'b'? (many-to-one over a, b, c)."""
    name = "_tiny"
    title = "Tiny (tests)"
    lesson = "a many-to-one model remembers the first token"
    shape = "many-to-one"
    defaults = {"length": 5, "span": (2, 4), "flip": False}
    model_defaults = {"cell": "gru", "hidden_size": 6}
    train_defaults = {"lr": 0.05, "batch_size": 8}
    default_steps = 40
    vocab = Vocab(["a", "b", "c"])
    labels = ("no", "yes")

    def io_config(self):
        return {"vocab_size": 3, "output": "softmax", "output_size": 2, "shape": "many-to-one"}

    def batch(self, rng, size):
        T = self.options["length"]
        x = rng.integers(0, 3, (size, T))
        y = (x[:, 0] == 1).astype(np.intp)
        if self.options["flip"]:
            y = 1 - y
        return Batch(x, y)

    def display_example(self):
        return self.encode("b a c a a")

    def describe(self, batch, i=0):
        return {"x": self.vocab.decode(batch.x[i]), "y": self.labels[int(batch.y[i])]}

    def encode(self, text):
        x = self.vocab.encode(text.split())[None]
        return Batch(x, (x[:, 0] == 1).astype(np.intp))

    def evaluate(self, model, rng=None):
        b = self.batch(np.random.default_rng(123) if rng is None else rng, 64)
        p = model.predict(b.x)
        return {"accuracy": float(np.mean(p.argmax(-1) == b.y)),
                "accuracy_by_first": {t: float(np.mean((p.argmax(-1) == b.y)[b.x[:, 0] == i]))
                                      for i, t in enumerate(self.vocab.tokens)}}

    def target_reached(self, metrics):
        return metrics["accuracy"] >= 0.95


@pytest.fixture(autouse=True)
def _tiny_registered():
    """TinyTask is in the registry only while these tests run (other tests may list every task)."""
    TASKS[TinyTask.name] = TinyTask
    yield
    TASKS.pop(TinyTask.name, None)


def _trainer(seed=3, optimizer="adam", momentum=0.0, dtype="float64", **task_opts):
    task = TinyTask(**task_opts)
    cfg = task.model_config(dtype=dtype)
    tc = task.train_config(seed=seed, optimizer=optimizer, momentum=momentum, clip="norm", clip_threshold=1.0)
    return Trainer.create(cfg, tc, task), task


def _losses(trainer, n):
    return [(s.loss, s.grad_norm) for s in trainer.run(n)]


@pytest.mark.parametrize("optimizer,momentum,dtype", [("adam", 0.0, "float64"), ("sgd", 0.9, "float32")])
def test_resume_is_bit_for_bit(tmp_path, optimizer, momentum, dtype):
    N = 12
    whole, task = _trainer(optimizer=optimizer, momentum=momentum, dtype=dtype)
    ref = _losses(whole, 2 * N)

    first, task = _trainer(optimizer=optimizer, momentum=momentum, dtype=dtype)
    got = _losses(first, N)
    save_run(tmp_path / "r.npz", first, task)
    run = load_run(tmp_path / "r.npz")
    assert run.step == N and run.task_name == "_tiny"
    second = run.make_trainer()
    got += _losses(second, N)

    assert got == ref                              # identical losses and norms, bit for bit
    for k, v in whole.model.params.items():
        np.testing.assert_array_equal(second.model.params[k], v)
        assert second.model.params[k].dtype == np.dtype(dtype)
    assert second.step == whole.step == 2 * N
    np.testing.assert_array_equal(second.history.arrays()["loss"], whole.history.arrays()["loss"])
    assert second.history.to_state() == whole.history.to_state()


def test_round_trip_keeps_everything(tmp_path):
    tr, task = _trainer(span=(1, 3), flip=True)
    list(tr.run(5))
    p = save_run(tmp_path / "r.npz", tr, task, info={"note": "hello"})
    run = load_run(p)
    assert run.model_config == tr.model.config and run.train_config == tr.config
    assert run.task_options == {"length": 5, "span": [1, 3], "flip": True}
    assert run.make_task().options == {"length": 5, "span": (1, 3), "flip": True}   # tuple restored
    assert run.info["note"] == "hello" and "saved_at" in run.info
    assert run.rng_state == tr.rng.bit_generator.state
    m = run.make_model()
    for k, v in tr.model.params.items():
        np.testing.assert_array_equal(m.params[k], v)
    # only arrays and JSON inside: loadable without pickle, by plain numpy
    with np.load(p, allow_pickle=False) as z:
        meta = json.loads(z["__meta__"].tobytes().decode())
        assert meta["format"] == "rnnscope-run" and meta["version"] == 1
        assert "weights/head.W" in z.files and "optimizer/m.head.W" in z.files and "history/loss" in z.files


def test_restore_into_existing_trainer(tmp_path):
    a, task = _trainer()
    list(a.run(4))
    run = run_from_trainer(a, task)
    b, _ = _trainer()
    b.model.load_state_dict(run.weights)
    restore_trainer(b, run)
    assert _losses(a, 3) == _losses(b, 3)


def test_save_is_atomic_when_writing_fails(tmp_path, monkeypatch):
    tr, task = _trainer()
    list(tr.run(2))
    path = tmp_path / "r.npz"
    save_run(path, tr, task)
    before = path.read_bytes()
    list(tr.run(2))

    def boom(*a, **k):
        raise OSError("disk full")
    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError, match="disk full"):
        save_run(path, tr, task)
    assert path.read_bytes() == before             # the previous file is intact
    assert os.listdir(tmp_path) == ["r.npz"]       # and no temporary file is left behind
    monkeypatch.undo()
    assert load_run(path).step == 2


def test_interrupted_write_leaves_previous_file(tmp_path, monkeypatch):
    tr, task = _trainer()
    path = tmp_path / "r.npz"
    save_run(path, tr, task)
    before = path.read_bytes()

    def interrupted(file, **arrays):
        file.write(b"PK\x03\x04partial")
        raise KeyboardInterrupt
    monkeypatch.setattr(np, "savez", interrupted)
    with pytest.raises(KeyboardInterrupt):
        save_run(path, tr, task)
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["r.npz"]


def _saved(tmp_path):
    tr, task = _trainer()
    list(tr.run(2))
    return save_run(tmp_path / "r.npz", tr, task)


def _rewrite(path, change):
    """Rewrite the run file's arrays through change(dict)."""
    with np.load(path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    change(arrays)
    np.savez(path, **arrays)


def _set_meta(arrays, **updates):
    meta = json.loads(arrays["__meta__"].tobytes())
    meta.update(updates)
    arrays["__meta__"] = np.frombuffer(json.dumps(meta).encode(), np.uint8)


@pytest.mark.parametrize("damage,message", [
    (lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), "truncated"),
    (lambda p: p.write_bytes(b""), "truncated"),
    (lambda p: p.write_bytes(b"hello, not a zip"), "truncated or not"),
    (lambda p: np.save(p.with_suffix(".npy"), np.ones(3)) or os.replace(p.with_suffix(".npy"), p), "truncated or not"),
    (lambda p: _rewrite(p, lambda a: a.pop("__meta__")), "no '__meta__'"),
    (lambda p: _rewrite(p, lambda a: a.__setitem__("__meta__", np.frombuffer(b"{oops", np.uint8))), "not valid UTF-8 JSON"),
    (lambda p: _rewrite(p, lambda a: _set_meta(a, version=2)), "newer RNN Scope"),
    (lambda p: _rewrite(p, lambda a: _set_meta(a, format="other")), "not an RNN Scope run file"),
    (lambda p: _rewrite(p, lambda a: _set_meta(a, model_config={"cell": "tree"})), "model_config: cell must be one of"),
    (lambda p: _rewrite(p, lambda a: _set_meta(a, rng={"bit_generator": "nope"})), "random generator state"),
    (lambda p: _rewrite(p, lambda a: a.__setitem__("weights/head.W", np.ones((2, 2)))), "'head.W' has shape (2, 2)"),
    (lambda p: _rewrite(p, lambda a: a.pop("weights/head.b")), "missing ['head.b']"),
    (lambda p: _rewrite(p, lambda a: a.__setitem__("weights/extra", np.ones(2))), "unexpected ['extra']"),
    (lambda p: _rewrite(p, lambda a: a["weights/head.b"].__setitem__(0, np.nan)), "'head.b' holds NaN or Inf"),
    (lambda p: _rewrite(p, lambda a: a.__setitem__("optimizer/m.head.b", np.ones(7))), "optimizer array 'm.head.b' has shape"),
    (lambda p: _rewrite(p, lambda a: a.__setitem__("history/loss", np.ones(1))), "history is damaged"),
    (lambda p: _rewrite(p, lambda a: _set_meta(a, history={**json.loads(a["__meta__"].tobytes())["history"],
                                                           "capacity": 10**12})), "history capacity must be"),
])
def test_damaged_files_give_clear_errors(tmp_path, damage, message):
    path = _saved(tmp_path)
    damage(path)
    with pytest.raises(RunFileError) as e:
        load_run(path)
    assert message in str(e.value)
    assert str(path) in str(e.value)
    assert isinstance(e.value, ValueError)


def test_flipped_byte_is_caught_by_the_zip_checksum(tmp_path):
    path = _saved(tmp_path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("weights/head.W.npy")
    # flip a byte inside the stored array data (after the local header and the .npy header)
    data[info.header_offset + 30 + len(info.filename) + 200] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(RunFileError, match="corrupted|truncated"):
        load_run(path)


def test_missing_file_and_unknown_task(tmp_path):
    with pytest.raises(RunFileError, match="no such file"):
        load_run(tmp_path / "nope.npz")
    path = _saved(tmp_path)
    _rewrite(path, lambda a: _set_meta(a, task={"name": "no-such-task", "options": {}}))
    with pytest.raises(RunFileError, match="task 'no-such-task' is not available"):
        load_run(path).make_trainer()


def test_weights_only_run(tmp_path):
    from rnncore.model import Model
    from rnncore.runs import save_model
    m = Model(ModelConfig(cell="lstm", input_size=2, hidden_size=3, output="linear", output_size=2), rng=1)
    run = load_run(save_model(tmp_path / "w.npz", m))
    assert run.task_name is None and run.step == 0
    x = np.random.default_rng(0).standard_normal((2, 4, 2))
    np.testing.assert_array_equal(run.make_model().predict(x), m.predict(x))
    with pytest.raises(RunFileError, match="needs|no task"):
        run.make_trainer()
    assert TrainConfig() == run.train_config
