"""Every task's eval says what a shortcut scores and how much of its held-out data training saw.

Properties of the generated data only (no training, no timings): the baselines are
present, and held-out items never occur in training (``overlap`` is 0), except where a
task names why it cannot be (melody generates from the very inputs it trained on).
"""
import numpy as np
import pytest

from rnncore import Model
from rnncore.tasks import TASKS, make_task

ALL = sorted(n for n in TASKS if not n.startswith("_"))


@pytest.mark.parametrize("name", ALL)
def test_eval_reports_baselines_and_overlap(name):
    task = make_task(name)
    m = task.evaluate(Model(task.model_config(hidden_size=4), 0))
    assert isinstance(m["baselines"], dict) and m["baselines"]
    assert all(isinstance(v, float) for v in m["baselines"].values())
    assert isinstance(m["overlap"], int)
    if name == "melody":
        assert m["overlap"] == len(task.styles) and "style" in m["overlap_note"]
    else:
        assert m["overlap"] == 0


def test_teddy_heldout_contexts_never_stand_around_teddy_in_training():
    from rnncore.tasks.names import TEDDY_TEST_BEAR, TEDDY_TEST_BEFORE, TEDDY_TEST_NAME
    task = make_task("teddy")
    train, _ = task.train_sentences(np.random.default_rng(0), 3000)
    test, tags = task._eval_set()
    around = {(" ".join(t[:t.index("teddy")]), " ".join(t[t.index("teddy") + 1:])) for t in train}
    befores, afters = {b for b, _ in around}, {a for _, a in around}
    for t in test:
        i = t.index("teddy")
        assert " ".join(t[:i]) in TEDDY_TEST_BEFORE and " ".join(t[:i]) not in befores
        assert " ".join(t[i + 1:]) in TEDDY_TEST_BEAR + TEDDY_TEST_NAME and " ".join(t[i + 1:]) not in afters
    known = {w for t in train for w in t}
    assert {w for t in test for w in t} <= known           # every held-out word was trained on
    assert np.mean([g[t.index("teddy")] for t, g in zip(test, tags)]) == 0.5


def test_dates_heldout_dates_are_never_trained_on():
    task = make_task("dates")
    held = set(task.heldout()[0])
    train = task.training_dates(np.random.default_rng(1), 20000)[0]
    assert not held & set(train) and len(held) > 900
    b = task.batch(np.random.default_rng(2), 64)
    assert b.y.shape == (64, 10)


def test_lm_heldout_sentences_and_minimal_pair_are_not_in_the_corpus_used_for_training():
    for level in ("char", "word"):
        task = make_task("lm", level=level)
        train = {tuple(task.sentences[r]) for r in task.train_rows}
        assert not any(tuple(task.sentences[r]) in train for r in task.test_rows)
        assert task.overlap() == {"heldout_in_training": 0, "corpus_with_minimal_pair": 0}
        assert task.bigram_perplexity < task.unigram_perplexity


@pytest.mark.parametrize("name", ["names", "sentiment", "agreement"])
def test_training_refuses_heldout_sentences(name):
    task = make_task(name)
    if name == "names":
        held, train = task._eval_set()[0], task.train_sentences(np.random.default_rng(0), 4000)[0]
    elif name == "sentiment":
        held, train = task.heldout()[0], task.train_reviews(np.random.default_rng(0), 4000)[0]
    else:
        held, train = task.heldout()[0], task.draw(np.random.default_rng(0), 4000)[0]
    assert not {tuple(r) for r in held} & {tuple(r) for r in train}


def test_sentiment_last_word_shortcut_fails_on_negation_and_contrast():
    task = make_task("sentiment")
    rows, labels, _ = task.heldout()
    base = task.baselines(rows, labels)
    assert base["majority_class"] == 0.5 and base["last_sentiment_word"] < 0.7


def test_agreement_eval_json_contract(tmp_path, capsys):
    """`rnnscope eval --run RUN.npz --json` for agreement: accuracy, at least 6 constructions,
    the shortcuts and the overlap, as one JSON object."""
    import json

    from app import cli
    path = tmp_path / "a.npz"
    assert cli.main(["train", "--task", "agreement", "--steps", "3", "--hidden", "4", "--out", str(path),
                     "--quiet"]) == 0
    capsys.readouterr()
    assert cli.main(["eval", "--run", str(path), "--json"]) == 0
    m = json.loads(capsys.readouterr().out)
    assert 0 <= m["accuracy"] <= 1 and len(m["by_construction"]) >= 6
    assert {"first_noun", "last_noun", "majority_noun"} <= set(m["baselines"])
    assert isinstance(m["overlap"], int) and m["overlap"] == 0
    assert cli.main(["eval", "--run", str(path)]) == 0
    text = capsys.readouterr().out
    assert all(k in text for k in ("by_construction", "by_attractors", "by_distance", "baselines", "overlap"))
