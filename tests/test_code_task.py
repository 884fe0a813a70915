"""The `code` task: raw characters, truncated BPTT over contiguous streams, and the
per-character signals of tokenize (checked by hand on a small file)."""
import json

import numpy as np
import pytest

from rnncore import Model
from rnncore.tasks import make_task
from rnncore.tasks.code_signals import UnitCorrelation, signals
from rnncore.trainer import Trainer

SOURCE = '''x = (1, [2])  # a (
def f(a):
    s = "a(b" + 'c'
    return {a:
            s}
'''


def test_signals_match_tokenize_on_a_hand_written_file():
    s = signals(SOURCE)
    lines = SOURCE.split("\n")
    off = np.cumsum([0] + [len(ln) + 1 for ln in lines])
    row = lambda k, key: s[key][off[k]:off[k] + len(lines[k])]  # noqa: E731
    # the comment, from '#' to the line's end; the bracket in it does not count
    assert "".join("^" if v else " " for v in row(0, "comment")) == " " * 14 + "^" * 5
    # depth after each character: ( opens, [ opens, ] and ) close
    assert row(0, "depth_all")[:12].tolist() == [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 1, 0]
    assert set(row(0, "depth_all")[12:]) == {0}
    # both string literals, from the opening quote; after the closing quote the string is over;
    # the "(" inside a string is no bracket
    assert "".join("^" if v else " " for v in row(2, "string")) == "    " + "    " + "^^^^ " + "   " + "^^ "
    assert set(row(2, "depth_all")) == {0}
    assert (row(2, "text") == row(2, "string")).all()
    # the dict spans two lines: depth 1 through the line break, 0 after the closing brace
    assert row(3, "depth_all")[-1] == 1 and s["depth_all"][off[3] + len(lines[3])] == 1     # its "\n"
    assert row(4, "depth_all").tolist() == [1] * 13 + [0]
    # 'depth' is the same count at characters of code, and not given (NaN) in strings and comments
    text = s["text"] > 0
    assert np.isnan(s["depth"][text]).all() and (s["depth"][~text] == s["depth_all"][~text]).all()
    # indentation level of the logical line: 0, 0, 1, 1 (the continuation line too)
    assert [row(k, "indent")[0] for k in range(5)] == [0, 0, 1, 1, 1]
    assert row(4, "column").tolist() == list(range(14))
    assert signals("x = (\n") is None              # not Python: no signals, no crash
    assert signals("It's fine.\n") is None


def test_unit_correlation_finds_the_unit_that_copies_a_signal():
    rng = np.random.default_rng(0)
    sig = rng.standard_normal((500, 2))
    states = rng.standard_normal((500, 4))
    states[:, 2] = -3 * sig[:, 1] + 1
    acc = UnitCorrelation(4, names=("u", "v"))
    acc.add(states[:200], sig[:200])
    acc.add(states[200:], sig[200:])
    best = acc.best()
    assert best["v"] == {"unit": 2, "r": -1.0}
    np.testing.assert_allclose(acc.r(), [[np.corrcoef(states[:, i], sig[:, j])[0, 1] for j in range(2)]
                                         for i in range(4)], atol=1e-12)


def test_unit_correlation_scores_each_signal_only_where_it_is_given():
    rng = np.random.default_rng(1)
    sig = rng.standard_normal((400, 2))
    states = rng.standard_normal((400, 3))
    gone = rng.random(400) < 0.3
    sig[gone, 1] = np.nan                     # signal v is not given at 30 % of the steps
    acc = UnitCorrelation(3, names=("u", "v"))
    acc.add(states[:150], sig[:150])
    acc.add(states[150:], sig[150:])
    want = [[np.corrcoef(states[:, i], sig[:, 0])[0, 1],
             np.corrcoef(states[~gone, i], sig[~gone, 1])[0, 1]] for i in range(3)]
    np.testing.assert_allclose(acc.r(), want, atol=1e-12)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("code")
    for k in range(12):
        (d / f"m{k:02d}.py").write_text(f"def f{k}(a, b):\n    # add\n    return (a + b) * {k}  # é\n" * 30)
    return d


def test_streams_are_contiguous_and_carry_the_state(corpus):
    task = make_task("code", corpus=str(corpus), seq_len=7)
    assert "é" in task.chars and task.chars[0] == "<unk>"
    b1 = task.batch(np.random.default_rng(0), 3)
    assert b1.h0 is None
    h = np.ones((1, 3, 4))
    task.keep_state(h, 2 * h)
    b2 = task.batch(np.random.default_rng(0), 3)
    np.testing.assert_array_equal(b2.h0, h)
    np.testing.assert_array_equal(b2.c0, 2 * h)
    np.testing.assert_array_equal(b1.y[:, -1], b2.x[:, 0])        # row i continues its own stream
    np.testing.assert_array_equal(b1.x[:, 1:], b1.y[:, :-1])
    L = (len(task.train_ids) - 1) // 3
    files = [task.ids((corpus / f"m{k:02d}.py").read_text()) for k in range(12) if k != 9]   # m09 is held out
    ids = np.concatenate([files[k] for k in np.random.default_rng(0).permutation(11)])       # the order drawn
    np.testing.assert_array_equal(b1.x[1], ids[L:L + 7])


def test_each_pass_takes_every_file_once_in_an_order_the_seed_draws(tmp_path):
    for k in range(20):
        (tmp_path / f"m{k:02d}.py").write_text(f"x{k} = {k}\n" * (k + 1))
    task = make_task("code", corpus=str(tmp_path), seq_len=2)
    lines = sorted(task.text(task.train_ids).splitlines())

    def passes(seed, n=3):                       # one stream: each pass is the whole text
        task.train_on([(tmp_path / f"m{k:02d}.py").read_text() for k in range(20) if k % 10 != 9])
        rng, out = np.random.default_rng(seed), []
        while len(out) < n:
            task.batch(rng, 1)
            if task._pos == 2:                   # a pass has just begun
                out.append(task.text(task._streams[0]))
        return out

    first = passes(0)
    assert all(sorted(p.splitlines()) == lines for p in first)       # every file, whole, once
    assert len(set(first)) == 3                                      # a new order each pass
    assert passes(0) == first                                        # the same seed, the same orders
    assert passes(1)[0] != first[0]


def test_trainer_carries_the_final_state_into_the_next_chunk(corpus):
    task = make_task("code", corpus=str(corpus), seq_len=5)
    tr = Trainer.create(task.model_config(hidden_size=6), task.train_config(batch_size=2), task)
    before = tr.model.state_dict()
    snap = tr.train_step()
    assert snap.ok
    h_n = np.array(task._state[0])
    tr.model.load_state_dict(before)           # the same weights: the state must be the first chunk's end
    x = task._streams[:, :5]
    np.testing.assert_allclose(h_n, tr.model.forward(x).h_n, rtol=0, atol=1e-6)


def test_any_characters_encode_and_evaluate_reports_the_contract(corpus):
    task = make_task("code", corpus=str(corpus), seq_len=20)
    b = task.encode(")")                        # a lone bracket is a sequence like any other
    assert task.describe(b)["x"] == [")"] and task.describe(b)["y"] == ["⏎"]
    assert task.describe(task.encode("☃ a"))["x"] == ["\ufffd", "␣", "a"]
    model = Model(task.model_config(hidden_size=8), 0)
    m = task.evaluate(model)
    json.dumps(m)
    assert m["bits_per_char"] > 0 and set(m["baselines"]) == {"unigram", "bigram"}
    assert m["baselines"]["bigram"] < m["baselines"]["unigram"]
    for s in ("string", "comment", "depth", "indent"):
        assert set(m["cells"][s]) >= {"unit", "r"} and 0 <= m["cells"][s]["unit"] < 8
    assert m["sample"].startswith("def ")
    assert not task.target_reached(m)


def test_the_untrained_model_scored_is_the_runs_own_first_weights(corpus, tmp_path):
    from rnncore.runs import load_run, save_run
    task = make_task("code", corpus=str(corpus), seq_len=20)
    tr = Trainer.create(task.model_config(hidden_size=8), task.train_config(seed=3, batch_size=2), task)
    first = Model(tr.model.config, 0)
    first.load_state_dict(tr.model.state_dict())
    assert task.run_seed == 3
    for _ in tr.run(2):
        pass
    save_run(tmp_path / "r.npz", tr, task)
    again = load_run(tmp_path / "r.npz").make_task()           # a saved run knows its seed
    assert again.run_seed == 3
    want = task.evaluate(first)["cells"]                       # the first weights scored as trained
    for t in (task, again):
        assert t.evaluate(tr.model)["untrained_cells"] == want


def test_bad_options_are_refused(tmp_path):
    with pytest.raises(ValueError, match="seq_len must be"):
        make_task("code", seq_len=0)
    with pytest.raises(ValueError, match="no such file"):
        make_task("code", corpus=str(tmp_path / "missing.py"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="no \\*.py files"):
        make_task("code", corpus=str(tmp_path / "empty"))


def test_cli_trains_evaluates_and_traces_code(capsys, corpus, tmp_path):
    from app import cli
    run = tmp_path / "code.npz"
    assert cli.main(["train", "--task", "code", "--option", f"corpus={corpus}", "--seq-len", "10",
                     "--hidden", "8", "--steps", "3", "--quiet", "--out", str(run)]) == 0
    capsys.readouterr()
    assert cli.main(["eval", "--run", str(run), "--json"]) == 0
    m = json.loads(capsys.readouterr().out)
    assert {"bits_per_char", "baselines", "cells"} <= set(m)
    assert all({"unit", "r"} <= set(m["cells"][s]) for s in ("string", "comment", "depth", "indent"))
    lines = tmp_path / "in.txt"
    lines.write_text(")\n    return (a, b)\n")
    assert cli.main(["trace", "--run", str(run), "--input", str(lines), "--out", str(tmp_path / "t.npz")]) == 0
    assert cli.main(["eval", "--run", str(run), "--input", str(lines), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert shown[1]["tokens"][:4] == ["␣"] * 4                     # indentation kept


def test_plain_text_trains_raw_without_signals(tmp_path):
    book = tmp_path / "book.txt"
    book.write_text("It's the best of times, it was the worst of times (said he).\n" * 40)
    task = make_task("code", corpus=str(book), seq_len=16)
    assert "I" in task.chars and "(" in task.chars            # nothing lower-cased or dropped
    m = task.evaluate(Model(task.model_config(hidden_size=4), 0))
    assert m["cells"] == {} and m["bits_per_char"] > 0
    assert task.target_reached(m) is (m["bits_per_char"] < m["baselines"]["bigram"])
