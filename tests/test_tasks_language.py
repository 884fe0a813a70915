"""Word-level tasks: agreement, names, teddy, sentiment.

Generators are seeded and deterministic, shapes fit the model the task asks
for, labels are right on hand-checked sentences, typed text with unknown words
is refused with the words listed, bad options raise ConfigError, and the
agreement task's held-out split really is longer than training. A few tiny
trainings (a few hundred steps at most) show the behaviours each task exists for.
"""
import numpy as np
import pytest

from rnncore import ConfigError, InputError, Model
from rnncore.tasks import TASKS, make_task
from rnncore.tasks.agreement import LINZEN_2016, PLURAL, SINGULAR, TARGETS, Agreement
from rnncore.tasks.names import NOTES_SENTENCE, NOTES_TAGS, TEDDY_BEFORE, NameTagging, Teddy
from rnncore.tasks.sentiment import Sentiment, polarity
from rnncore.trainer import Trainer

WORD_TASKS = ["agreement", "names", "teddy", "sentiment"]


def _train(task, steps, seed=0, **model):
    tr = Trainer.create(task.model_config(**model), task.train_config(seed=seed), task)
    for snap in tr.run(steps):
        pass
    assert snap.ok
    return tr.model


def _distance_and_attractors(tokens):
    """Words between the subject (the first noun with a number) and the end; other-number nouns."""
    nouns = [(i, w) for i, w in enumerate(tokens) if w in SINGULAR or w in PLURAL]
    i, subj = nouns[0]
    plural = subj in PLURAL
    return len(tokens) - i - 1, sum((w in PLURAL) != plural for _, w in nouns[1:]), plural


# -- every word task ---------------------------------------------------------
@pytest.mark.parametrize("name", WORD_TASKS)
def test_registered_seeded_and_shaped(name):
    task = make_task(name)
    assert TASKS[name] is type(task) and task.title and task.lesson
    a = task.batch(np.random.default_rng(3), 16)
    b = task.batch(np.random.default_rng(3), 16)
    c = task.batch(np.random.default_rng(4), 16)
    assert np.array_equal(a.x, b.x) and np.array_equal(a.y, b.y) and np.array_equal(a.x_lengths, b.x_lengths)
    assert not np.array_equal(a.x, c.x) if a.x.shape == c.x.shape else True
    assert a.x.ndim == 2 and np.issubdtype(a.x.dtype, np.integer)
    assert a.x_lengths.shape == (16,) and a.x_lengths.max() == a.x.shape[1]
    for i, n in enumerate(a.x_lengths):
        assert np.all(a.x[i, n:] == 0)                 # padding is <pad>
    cfg = task.model_config(hidden_size=4)
    assert cfg.vocab_size == len(task.vocab) and cfg.shape == task.shape
    model = Model(cfg, 0)
    assert np.isfinite(model.loss(a))                  # the batch fits the model the task asks for
    ex = task.display_example()
    assert len(ex) == 1 and np.isfinite(model.loss(ex))
    d = task.describe(ex)
    assert set(d) == {"x", "y"} and len(d["x"]) == ex.x_lengths[0]
    m = task.evaluate(model)
    assert task.target_reached(m) in (True, False)
    assert task.default_steps > 0 and task.model_defaults and task.train_defaults


@pytest.mark.parametrize("name", WORD_TASKS)
def test_unknown_words_are_listed(name):
    task = make_task(name)
    with pytest.raises(InputError) as e:
        task.encode("the zebras quux were happy zebras")
    assert "'zebras'" in str(e.value) and "'quux'" in str(e.value)
    with pytest.raises(InputError):
        task.encode("  ,, . ")


@pytest.mark.parametrize("name", WORD_TASKS)
def test_unknown_option_is_refused(name):
    with pytest.raises(ConfigError, match="unknown option"):
        make_task(name, colour="red")
    with pytest.raises(ConfigError, match="seed"):
        make_task(name, seed=-1)


# -- agreement -----------------------------------------------------------------
def test_agreement_notes_sentence():
    task = Agreement()
    ex = task.display_example()
    d = task.describe(ex)
    assert d == {"x": ["the", "cats", "which", "ate", "the", "fish"], "y": "were"}
    assert ex.y[0] == 1.0


@pytest.mark.parametrize("text, plural, prefix_len", [
    ("The key to the cabinets is", None, None),                      # "is" is not in the vocabulary
    ("The key to the cabinets was", False, 5),
    ("the keys to the cabinet were", True, 5),
    ("the authors that the girl saw were late", True, 6),
    ("the author that the girls saw", False, 6),                     # no verb: the subject's number
    ("The cats, which ate the fish, were full.", True, 6),
])
def test_agreement_labels_on_typed_sentences(text, plural, prefix_len):
    task = Agreement()
    if plural is None:
        with pytest.raises(InputError, match="'is'"):
            task.encode(text)
        return
    b = task.encode(text)
    assert b.y[0] == float(plural) and b.x_lengths[0] == prefix_len and b.x.shape == (1, prefix_len)


def test_agreement_generator_meets_distance_and_attractors_exactly():
    task = Agreement()
    rng = np.random.default_rng(0)
    for d in range(0, 31):
        for k in range(0, min(4, d // 3) + 1):
            for plural in (False, True):
                s = task.sentence(rng, plural, d, k)
                assert _distance_and_attractors(s) == (d, k, plural), s
    with pytest.raises(ConfigError):
        task.sentence(rng, True, 5, 2)                 # 2 attractors need 6 words


def test_agreement_attractors_are_oversampled_and_training_stays_in_range():
    task = Agreement(distance="12-24", attractors="0-3")
    b = task.batch(np.random.default_rng(1), 800)
    stats = [_distance_and_attractors(task.describe(b, i)["x"]) for i in range(len(b))]
    dist = np.array([s[0] for s in stats])
    attr = np.array([s[1] for s in stats])
    assert dist.min() >= 12 and dist.max() <= 24
    counts = np.bincount(attr, minlength=4)
    assert np.all(counts > 150)                        # each of 0..3 about a quarter
    assert np.array_equal(b.y, [s[2] for s in stats])
    assert 0.4 < b.y.mean() < 0.6


def test_agreement_heldout_split_is_longer_than_training():
    task = Agreement(distance="4-12", test_distance="13-20", eval_per_cell=4)
    rows, plural, dist, attr = task.heldout()
    measured = [_distance_and_attractors(r) for r in rows]
    assert [m[0] for m in measured] == list(dist) and [m[1] for m in measured] == list(attr)
    assert dist.min() == 13 and dist.max() == 20 > 12
    assert set(attr) == {0, 1, 2, 3} and plural.mean() == 0.5
    again = Agreement(distance="4-12", test_distance="13-20", eval_per_cell=4).heldout()
    assert again[0] == rows                            # the same held-out sentences every time


@pytest.mark.parametrize("options, field", [
    ({"distance": "12-4"}, "distance"), ({"distance": "many"}, "distance"), ({"distance": (1, 2, 3)}, "distance"),
    ({"distance": 99}, "distance"), ({"test_distance": "5-30"}, "test_distance"),
    ({"distance": "0-12", "test_distance": "13-20", "attractors": "5-6"}, "attractors"), ({"attractors": "0-9"}, "attractors"),
    ({"mode": "regress"}, "mode"), ({"eval_per_cell": 0}, "eval_per_cell"),
    ({"forget_bias": "open"}, "forget_bias"), ({"forget_bias": 50}, "forget_bias"),
])
def test_agreement_bad_options(options, field):
    with pytest.raises(ConfigError, match=field):
        Agreement(**options)


def test_agreement_range_forms():
    assert Agreement(distance="4-12").distance == (4, 12)
    assert Agreement(distance=(4, 12)).distance == (4, 12)
    assert Agreement(distance=[3, 5], test_distance="6").test_distance == (6, 6)


def test_agreement_prepares_the_lstm_forget_gate_only():
    task = Agreement(forget_bias=1.0)
    lstm = Trainer.create(task.model_config(cell="lstm", hidden_size=4), task.train_config(), task).model
    assert np.all(lstm.params["rnn.l0.fwd.b"][4:8] == 1.0)
    gamma_f = lstm.trace(task.display_example()).parts["rnn"][0][0]["gamma_f"]
    assert gamma_f.mean() > 0.65                       # σ(1) ≈ 0.73 instead of ½
    cfg = task.model_config(cell="gru", hidden_size=4)
    fresh = Model(cfg, np.random.default_rng([0, 0]))
    gru = Trainer.create(cfg, task.train_config(), task).model
    assert all(np.array_equal(gru.params[k], fresh.params[k]) for k in fresh.params)


def test_agreement_language_model_mode():
    task = Agreement(mode="lm", distance="2-6", test_distance="7-9")
    cfg = task.model_config(hidden_size=4)
    assert cfg.shape == "many-to-many" and cfg.output == "softmax" and cfg.output_size == len(task.vocab)
    b = task.batch(np.random.default_rng(0), 8)
    assert b.y.shape == b.x.shape
    for i, n in enumerate(b.x_lengths):                # y<t> = x<t+1>: the notes' language model
        assert np.array_equal(b.x[i, 1:n], b.y[i, :n - 1])
        assert task.vocab.decode([b.x[i, 0]]) == ["<s>"] and task.vocab.decode([b.y[i, n - 1]]) == ["<eos>"]
    ex = task.display_example()
    assert task.vocab.decode(ex.x[0]) == "<s> the cats which ate the fish were full".split()
    m = task.evaluate(Model(cfg, 0))
    assert set(m["by_attractors"]) == {0, 1, 2, 3}


def test_agreement_metrics_and_reference():
    assert LINZEN_2016 == {0: 0.997, 1: 0.985, 2: 0.945, 3: 0.898}
    task = Agreement(distance="2-10", test_distance="11-13", eval_per_cell=2)
    m = task.evaluate(Model(task.model_config(hidden_size=4), 0))
    assert set(m["by_attractors"]) == {0, 1, 2, 3}
    assert set(m["by_distance"]) == set(range(2, 14))
    assert m["reference"] == LINZEN_2016 and m["targets"] == TARGETS
    good = {**m, "by_attractors": {0: 0.995, 1: 0.98, 2: 0.95, 3: 0.9}}
    bad = {**m, "by_attractors": {0: 1.0, 1: 1.0, 2: 1.0, 3: 0.89}}
    assert task.target_reached(good) and not task.target_reached(bad)


def test_agreement_gru_learns_short_distances_in_a_few_hundred_steps():
    task = Agreement(distance="0-6", test_distance="7-9", eval_per_cell=8)
    model = _train(task, 250, cell="gru", hidden_size=16)
    m = task.evaluate(model)
    assert m["train_range_accuracy"] > 0.95 and m["accuracy"] > 0.9


# -- names ---------------------------------------------------------------------
def test_names_display_is_the_notes_sentence():
    task = NameTagging()
    d = task.describe(task.display_example())
    assert " ".join(d["x"]) == NOTES_SENTENCE
    assert d["y"] == [str(t) for t in NOTES_TAGS] == "1 1 0 1 1 0 0 0 0".split()


@pytest.mark.parametrize("text, tags", [
    ("Rose Weasley gave Harry a rose", [1, 1, 0, 1, 0, 0]),
    ("Sirius Black wore a black cloak", [1, 1, 0, 0, 0, 0]),
    ("Harry will visit the castle", [1, 0, 0, 0, 0]),
    ("Will Potter paid the bill", [1, 1, 0, 0, 0]),
    ("yesterday the teacher met Luna Lovegood", [0, 0, 0, 0, 1, 1]),
])
def test_names_tags_on_typed_sentences(text, tags):
    b = NameTagging().encode(text)
    assert b.y.tolist() == [[float(t) for t in tags]]


def test_names_generated_tags():
    task = NameTagging()
    from rnncore.tasks.names import AMBIGUOUS, FIRST, LAST
    toks, tags = task.sentences(np.random.default_rng(0), 500)
    seen_amb = {0: 0, 1: 0}
    for t, g in zip(toks, tags):
        assert len(t) == len(g)
        for w, y in zip(t, g):
            if w in FIRST or w in LAST:
                assert y == 1
            elif w in AMBIGUOUS:
                seen_amb[y] += 1
            else:
                assert y == 0, (t, g)
    assert min(seen_amb.values()) > 20                 # both senses of the ambiguous words occur
    b = task.batch(np.random.default_rng(0), 8)
    assert b.y.shape == b.x.shape and set(np.unique(b.y)) <= {0.0, 1.0}


def test_names_bad_options():
    with pytest.raises(ConfigError, match="ambiguous"):
        NameTagging(ambiguous=1.5)
    with pytest.raises(ConfigError, match="eval_size"):
        NameTagging(eval_size=0)


def test_names_tiny_model_learns():
    task = NameTagging(eval_size=200)
    m = task.evaluate(_train(task, 150, hidden_size=8, embedding_dim=8))
    assert m["token_accuracy"] > 0.95 and m["f1"] > 0.9


# -- teddy ---------------------------------------------------------------------
@pytest.mark.parametrize("text, tags", [
    ("Teddy bears are on sale", [0, 0, 0, 0, 0]),
    ("Teddy Roosevelt was a great president", [1, 1, 0, 0, 0, 0]),
    ("my sister said Teddy likes bears", [0, 0, 0, 1, 0, 0]),
])
def test_teddy_tags(text, tags):
    assert Teddy().encode(text).y.tolist() == [[float(t) for t in tags]]


def test_teddy_nothing_before_teddy_reveals_the_answer():
    task = Teddy()
    toks, tags = task.sentences(np.random.default_rng(0), 4000)
    by_prefix = {}
    for t, g in zip(toks, tags):
        i = t.index("teddy")
        by_prefix.setdefault(" ".join(t[:i]), []).append(g[i])
    assert set(by_prefix) == set(TEDDY_BEFORE)
    for prefix, labels in by_prefix.items():           # about half names after every prefix
        assert 0.4 < np.mean(labels) < 0.6, prefix
    # and the prefix is drawn the same way whatever the answer
    a = task.sentence(np.random.default_rng(5), True)[0]
    b = task.sentence(np.random.default_rng(5), False)[0]
    assert a[:a.index("teddy")] == b[:b.index("teddy")]


def test_teddy_needs_the_future():
    task = Teddy(eval_size=200)
    bi = task.evaluate(_train(task, 200, cell="gru", hidden_size=8, bidirectional=True))
    uni = task.evaluate(_train(task, 200, cell="gru", hidden_size=8, bidirectional=False))
    assert bi["teddy_accuracy"] >= 0.99 and task.target_reached(bi)
    assert uni["teddy_accuracy"] <= 0.6 and task.target_reached(uni)
    assert uni["other_token_accuracy"] > 0.95          # it learned the rest; it just cannot know


def test_teddy_bad_options():
    with pytest.raises(ConfigError, match="p_name"):
        Teddy(p_name=-0.1)


# -- sentiment -----------------------------------------------------------------
@pytest.mark.parametrize("text, label", [
    ("the movie was not good at all", 0),
    ("the movie was good", 1),
    ("the plot was never boring", 1),
    ("it is not bad", 1),
    ("i did not like it", 0),
    ("I loved it!", 1),
    ("the food was not good but the service was great", 1),
    ("the food was good but the service was not great", 0),
    ("i did not enjoy it at all and the book is very boring", 0),
])
def test_sentiment_labels(text, label):
    b = Sentiment().encode(text)
    assert b.y.tolist() == [float(label)] and polarity(text.lower().replace("!", "").split()) == label


def test_sentiment_generated_labels_follow_the_rule_and_need_order():
    task = Sentiment()
    rng = np.random.default_rng(0)
    rows, labels, info = task._draw(rng, 3000)
    assert all(polarity(r) == int(y) for r, y in zip(rows, labels))
    neg = np.mean([i["negated"] for i in info])
    assert 0.4 < neg < 0.6
    # the same bag of words with opposite labels: only the order tells them apart
    bags = {}
    for r, y in zip(rows, labels):
        bags.setdefault(tuple(sorted(r)), set()).add(bool(y))
    assert any(len(v) == 2 for v in bags.values())
    d = task.describe(task.display_example())
    assert d == {"x": "the movie was not good at all".split(), "y": "negative"}


def test_sentiment_bad_options():
    with pytest.raises(ConfigError, match="negation"):
        Sentiment(negation="often")
    with pytest.raises(ConfigError, match="contrast"):
        Sentiment(contrast=2)


def test_sentiment_tiny_model_learns_negation():
    task = Sentiment(eval_size=400)
    m = task.evaluate(_train(task, 300, hidden_size=16))
    assert m["accuracy"] > 0.9 and m["negation_accuracy"] > 0.9
    assert set(m) >= {"negated_positive_accuracy", "negated_negative_accuracy", "contrast_accuracy"}
