"""Run files (.npz): truncated, bit-flipped, altered metadata, wrong or huge arrays, zip bombs,
task options; and the command line reading them. Each loads into a usable run or is refused
with the file named (tests/hardening_fixtures.py says what every refusal must pass)."""
from __future__ import annotations

import io
import json
import zipfile

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hardening_fixtures import (COMMON, DATA, TMP, VALID_ARRAYS, VALID_META, VALID_RUN, bad_arrays, json_values,
                                meta_bytes, names_file, npz, trained, watchdog, write)  # noqa: F401
from rnncore import InputError, ModelConfig
from rnncore.model import Model
from rnncore.runs import RunFileError, load_run, param_shapes, save_run
from rnncore.trainer import Trainer


def _check_loaded_run(run, path):
    """A run that loaded is usable: a model, a trainer that resumes and takes a step."""
    model = run.make_model()
    assert all(np.isfinite(v).all() for v in model.params.values())
    trainer = run.make_trainer(source=DATA)
    try:
        snap = trainer.train_step()
    except InputError:        # a valid run of another model (e.g. 'output' altered): DATA does not fit it
        return
    assert snap.step == run.step + 1 or not snap.ok


def _expect_run(raw: bytes, name="damaged.npz"):
    path = write(name, raw)
    try:
        run = load_run(path)
    except RunFileError as e:
        names_file(e, path)
        return None
    _check_loaded_run(run, path)
    return run


@settings(max_examples=80, **COMMON)
@given(st.integers(0, len(VALID_RUN) - 1))
def test_truncated_run_file_is_refused(n):
    assert _expect_run(VALID_RUN[:n]) is None


@settings(max_examples=110, **COMMON)
@given(st.lists(st.tuples(st.integers(0, len(VALID_RUN) - 1), st.integers(0, 7)), min_size=1, max_size=6))
def test_bit_flipped_run_file_loads_usable_or_is_refused(flips):
    raw = bytearray(VALID_RUN)
    for off, bit in flips:
        raw[off] ^= 1 << bit
    _expect_run(bytes(raw))


HUGE = {"hidden_size": 8192, "num_layers": 16, "bidirectional": True, "vocab_size": 1_000_000,
        "embedding_dim": 8192, "output_size": 1_000_000, "input_size": 8192, "target_length": 100_000}


@st.composite
def altered_meta(draw):
    meta = json.loads(json.dumps(VALID_META))
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(["top", "model_config", "train_config", "history", "optimizer", "task", "rng",
                                      "huge"]))
        if where == "huge" and isinstance(meta.get("model_config"), dict):   # a few bytes that declare a
            for k in draw(st.lists(st.sampled_from(sorted(HUGE)), min_size=1, max_size=4)):  # model of 100s of GB
                meta["model_config"][k] = HUGE[k]
            continue
        if where == "huge":
            continue
        target = meta if where == "top" else meta.get(where)
        if not isinstance(target, dict):
            meta[where] = draw(json_values)
            continue
        keys = sorted(target) + ["extra"]
        k = draw(st.sampled_from(keys))
        if draw(st.booleans()) and k in target:
            del target[k]
        else:
            target[k] = draw(json_values)
    return meta


@settings(max_examples=120, **COMMON)
@given(altered_meta())
def test_altered_metadata_loads_usable_or_is_refused(meta):
    arrays = dict(VALID_ARRAYS, __meta__=meta_bytes(meta))
    _expect_run(npz(arrays))


@settings(max_examples=90, **COMMON)
@given(st.data())
def test_wrong_arrays_in_a_run_file_are_refused_or_harmless(data):
    arrays = dict(VALID_ARRAYS)
    action = data.draw(st.sampled_from(["replace", "replace", "drop", "add"]))
    key = data.draw(st.sampled_from(sorted(arrays)))
    if action == "replace":
        arrays[key] = data.draw(bad_arrays)
    elif action == "drop":
        del arrays[key]
    else:
        arrays[data.draw(st.sampled_from(["weights/extra", "history/extra", "optimizer/m.x", "junk", "a/b/c"]))] = \
            data.draw(bad_arrays)
    _expect_run(npz(arrays, compressed=data.draw(st.booleans())))


def _npy_with_header(shape, descr="<f8", payload=b"\0" * 24) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": descr, "fortran_order": False, "shape": shape})
    return buf.getvalue() + payload


@settings(max_examples=40, **COMMON)
@given(st.sampled_from(sorted(k for k in VALID_ARRAYS if k != "__meta__")),
       st.lists(st.sampled_from([2, 7, 4096, 2**20, 2**31, 10**12]), min_size=1, max_size=3),
       st.sampled_from(["<f8", "<f4", "|u1", "<i8"]))
def test_huge_dimensions_declared_in_an_array_header_are_refused(key, shape, descr):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for k, v in VALID_ARRAYS.items():
            if k == key:
                zf.writestr(k + ".npy", _npy_with_header(tuple(shape), descr))
            else:
                b = io.BytesIO()
                np.lib.format.write_array(b, v)
                zf.writestr(k + ".npy", b.getvalue())
    _expect_run(buf.getvalue())


def test_huge_model_declared_in_metadata_is_refused_without_allocating_it():
    """The metadata alone once made load_run build (and fill) a 150 GB model."""
    meta = json.loads(json.dumps(VALID_META))
    meta["model_config"].update(hidden_size=8192, num_layers=16, bidirectional=True)
    path = write("huge_meta.npz", npz(dict(VALID_ARRAYS, __meta__=meta_bytes(meta))))
    with pytest.raises(RunFileError, match="weights do not match the model") as e:
        load_run(path)
    names_file(e.value, path)


@pytest.mark.parametrize("value", [True, 3, "adam", ["adam", 1]])
def test_optimizer_metadata_of_the_wrong_type_is_refused(value):
    """Found by test_altered_metadata...: {"optimizer": true} raised AttributeError."""
    meta = dict(VALID_META, optimizer=value)
    path = write("opt_meta.npz", npz(dict(VALID_ARRAYS, __meta__=meta_bytes(meta))))
    with pytest.raises(RunFileError, match="optimizer must be") as e:
        load_run(path)
    names_file(e.value, path)


def test_zip_bomb_run_file_is_refused_before_reading():
    """A 0.1 MB compressed file that would inflate to 69 MiB (the same trick scales to any size)."""
    arrays = dict(VALID_ARRAYS)
    arrays["weights/rnn.l0.fwd.Wx"] = np.zeros((4_500, 4_000), np.float32)
    path = write("bomb.npz", npz(arrays, compressed=True))
    assert path.stat().st_size < 1 << 20
    with pytest.raises(RunFileError, match="uncompressed") as e:
        load_run(path)
    names_file(e.value, path)


@settings(max_examples=30, **COMMON)
@given(st.builds(dict, cell=st.sampled_from(["rnn", "gru-simple", "gru", "lstm"]),
                 hidden_size=st.integers(1, 5), num_layers=st.integers(1, 3), bidirectional=st.booleans(),
                 kind=st.sampled_from(["floats", "tokens", "embed", "encdec", "one2many"])))
def test_param_shapes_match_the_model_built(f):
    kind = f.pop("kind")
    io_ = {"floats": dict(input_size=3, output_size=2),
           "tokens": dict(vocab_size=5, output_size=2, shape="many-to-one"),
           "embed": dict(vocab_size=5, embedding_dim=2, output_size=2),
           "encdec": dict(vocab_size=5, output="softmax", output_size=4, shape="encoder-decoder", target_length=3),
           "one2many": dict(input_size=2, output="softmax", output_size=4, shape="one-to-many", target_length=3,
                            bidirectional=False)}[kind]
    cfg = ModelConfig(**{**f, **io_})
    assert param_shapes(cfg) == {k: v.shape for k, v in Model(cfg, 0).params.items()}


def test_a_refused_run_file_leaves_the_trainer_untouched():
    """Resuming builds a new trainer: a bad file never touches the one already running."""
    tr = trained(5)
    before = {k: v.copy() for k, v in tr.model.params.items()}
    step, rng_state = tr.step, tr.rng.bit_generator.state
    arrays = dict(VALID_ARRAYS)
    arrays["optimizer/m.rnn.l0.fwd.Wh"] = np.ones((3, 3))
    path = write("bad_opt.npz", npz(arrays))
    with pytest.raises(RunFileError):
        load_run(path).make_trainer(source=DATA)
    assert tr.step == step and tr.rng.bit_generator.state == rng_state
    for k, v in tr.model.params.items():
        np.testing.assert_array_equal(v, before[k])


# =============================================================================
# the command line reads the same files: one line naming the file, exit 2
# =============================================================================
def _task_run():
    from rnncore.tasks import make_task
    task = make_task("names")
    tr = Trainer.create(task.model_config(hidden_size=3, embedding_dim=2), task.train_config(batch_size=4), task,
                        display=task.display_example())
    tr.train_step()
    return save_run(TMP / "task_run.npz", tr, task)


TASK_RUN = _task_run()
TASK_RUN_BYTES = TASK_RUN.read_bytes()


def _cli(argv):
    import contextlib
    from app.cli import main
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@settings(max_examples=40, **COMMON)
@given(st.one_of(st.integers(0, len(TASK_RUN_BYTES) - 1).map(lambda n: TASK_RUN_BYTES[:n]),
                 st.lists(st.tuples(st.integers(0, len(TASK_RUN_BYTES) - 1), st.integers(0, 7)), min_size=1,
                          max_size=4).map(lambda fl: _flip(TASK_RUN_BYTES, fl))))
def test_cli_eval_of_a_damaged_run_is_one_line_naming_the_file(raw):
    path = write("cli_run.npz", raw)
    code, out, err = _cli(["eval", "--run", str(path), "--input", str(write("cli_in.txt", b"harry potter\n"))])
    if code != 0:
        assert code == 2 and err.count("\n") == 1 and "Traceback" not in err, err
        assert str(path) in err or "cli_in.txt" in err, err


def _flip(raw, flips):
    raw = bytearray(raw)
    for off, bit in flips:
        raw[off] ^= 1 << bit
    return bytes(raw)


@settings(max_examples=60, **COMMON)
@given(st.sampled_from(["txt", "npy", "npz"]), st.one_of(
    st.binary(max_size=200),
    st.lists(st.sampled_from(["harry", "potter", "zzz", "", " ", "\t", "é"]), max_size=12).map(
        lambda w: " ".join(w).encode()),
    st.tuples(st.sampled_from([np.float64, np.int64, np.bool_, "U2", np.complex64]),
              st.lists(st.integers(0, 4), max_size=4)).map(lambda t: _npy(np.zeros(t[1], t[0]))),
    st.tuples(st.sampled_from(["x", "lengths", "y"]), st.lists(st.integers(0, 4), max_size=3)).map(
        lambda t: npz({t[0]: np.ones(t[1])}))))
def test_cli_trace_of_any_input_file_is_one_line_or_a_trace(ext, raw):
    inp = write(f"cli_input.{ext}", raw)
    out_path = TMP / "cli_trace.npz"
    code, out, err = _cli(["trace", "--run", str(TASK_RUN), "--input", str(inp), "--out", str(out_path)])
    if code == 0:
        assert "saved" in out
        with np.load(out_path, allow_pickle=False) as z:
            assert "input" in z.files
    else:
        # (an array of the wrong shape is refused without naming the file: reported, app/cli.py is not ours)
        assert code == 2 and err.count("\n") == 1 and "Traceback" not in err, err


def _npy(a) -> bytes:
    buf = io.BytesIO()
    np.save(buf, a, allow_pickle=False)
    return buf.getvalue()


# =============================================================================
# a run file's task and options are data too
# =============================================================================
def _task_names():
    from rnncore.tasks import TASKS
    return sorted(TASKS)


@st.composite
def task_options(draw):
    from rnncore.tasks import TASKS
    name = draw(st.sampled_from(sorted(TASKS)))
    keys = sorted(TASKS[name].defaults) + ["other"]
    return name, draw(st.dictionaries(st.sampled_from(keys), json_values, max_size=3))


@settings(max_examples=100, **COMMON)
@given(task_options())
def test_task_options_in_a_run_file_build_the_task_or_are_refused(name_options):
    name, options = name_options
    meta = json.loads(json.dumps(VALID_META))
    meta["task"] = {"name": name, "options": options}
    path = write("task_opts.npz", npz(dict(VALID_ARRAYS, __meta__=meta_bytes(meta))))
    run = load_run(path)
    try:
        run.make_task()
    except ValueError as e:           # RunFileError, ConfigError, DataFileError ...
        assert str(e)


@pytest.mark.parametrize("name,options", [("lm", {"corpus": 5}), ("lm", {"corpus": ["a.txt"]}),
                                          ("user-labels", {"path": 5}), ("user-labels", {"path": [None]}),
                                          ("user-labels", {"labels": 5}), ("user-labels", {"labels": [[0]]})])
def test_task_options_of_the_wrong_type_are_a_config_error(name, options):
    """Found by the test above: a run file (or a caller) giving a corpus path as a number raised TypeError."""
    from rnncore.config import ConfigError
    from rnncore.tasks import make_task
    with pytest.raises(ConfigError, match="path|corpus|labels"):
        make_task(name, **options)


def test_labels_given_as_text_are_values_not_characters():
    """The command line passes --labels "0 1" as text; it used to become the labels '0', ' ', '1'."""
    from rnncore.tasks import make_task
    assert make_task("user-labels", labels="0 1").labels.tokens == ["0", "1"]
    assert make_task("user-labels", labels="0,1").io_config()["output_size"] == 2
