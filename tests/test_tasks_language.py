"""Word-level tasks: agreement, names, teddy, sentiment.

Generators are seeded and deterministic, shapes fit the model the task asks
for, labels are right on hand-checked sentences, typed text with unknown words
is refused with the words listed, bad options raise ConfigError, and the
agreement task's tests are in test_task_agreement.py. A few tiny trainings (a few
hundred steps at most) show the behaviours each task exists for.
"""
import numpy as np
import pytest

from rnncore import ConfigError, InputError, Model
from rnncore.tasks import TASKS, make_task
from rnncore.tasks.names import NOTES_SENTENCE, NOTES_TAGS, TEDDY_BEFORE, NameTagging, Teddy
from rnncore.tasks.sentiment import Sentiment, polarity
from word_tasks import train_tiny

WORD_TASKS = ["agreement", "names", "teddy", "sentiment"]


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
    m = task.evaluate(train_tiny(task, 150, hidden_size=8, embedding_dim=8))
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
    bi = task.evaluate(train_tiny(task, 200, cell="gru", hidden_size=8, bidirectional=True))
    uni = task.evaluate(train_tiny(task, 200, cell="gru", hidden_size=8, bidirectional=False))
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
    m = task.evaluate(train_tiny(task, 300, hidden_size=16))
    assert m["accuracy"] > 0.9 and m["negation_accuracy"] > 0.9
    assert set(m) >= {"negated_positive_accuracy", "negated_negative_accuracy", "contrast_accuracy"}
