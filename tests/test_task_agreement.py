"""The agreement task (Linzen et al. 2016): the notes' sentence, labels on typed
sentences, every construction at exactly its distance and attractors, sentences that
read as English, a held-out split that is longer, unseen and balanced, no shortcut
above 70 %, options, the language-model mode, and a tiny GRU that learns it."""
import numpy as np
import pytest

from rnncore import ConfigError, InputError, Model
from rnncore.tasks.agreement import LINZEN_2016, PLURAL, SINGULAR, TARGETS, Agreement
from rnncore.tasks.agreement_grammar import CONSTRUCTIONS, FRONT_ADV, NOT_FIRST, SHORT, shapes
from rnncore.trainer import Trainer
from word_tasks import train_tiny


def _distance_and_attractors(tokens, construction=None):
    """Read back from the words alone: the subject is the first noun with a number, or the second
    where something with a noun comes before it (sentential complement, fronted phrase or clause,
    object relative around it); → (words after the subject, nouns of the other number after it, plural)."""
    nouns = [(i, w) for i, w in enumerate(tokens) if w in SINGULAR or w in PLURAL]
    second = construction in NOT_FIRST and tokens[0] not in FRONT_ADV
    i, subj = nouns[1 if second else 0]
    plural = subj in PLURAL
    return len(tokens) - i - 1, sum((w in PLURAL) != plural for j, w in nouns if j > i), plural


def test_agreement_notes_sentence():
    task = Agreement()
    ex = task.display_example()
    d = task.describe(ex)
    assert d == {"x": ["the", "cats", "which", "ate", "the", "fish"], "y": "were"}
    assert ex.y[0] == 1.0


@pytest.mark.parametrize("text, plural, prefix_len", [
    ("The key near the cabinets is", None, None),                    # "is" is not in the vocabulary
    ("The key near the cabinets was", False, 5),
    ("the keys near the cabinet were", True, 5),
    ("the authors that the girl saw were late", True, 6),
    ("the author that the girls saw", False, 6),                     # no verb: the first noun's number
    ("The cats, which ate the fish, were full.", True, 6),
    ("the boys said that the cat was here", False, 6),
])
def test_agreement_labels_on_typed_sentences(text, plural, prefix_len):
    task = Agreement()
    if plural is None:
        with pytest.raises(InputError, match="'is'"):
            task.encode(text)
        return
    b = task.encode(text)
    assert b.y[0] == float(plural) and b.x_lengths[0] == prefix_len and b.x.shape == (1, prefix_len)


def test_agreement_every_construction_meets_distance_and_attractors_exactly():
    """Labels are right by construction: read back from the words, every sentence has the
    distance, attractor count and number it was asked for."""
    task = Agreement()
    rng = np.random.default_rng(0)
    made = set()
    for c in CONSTRUCTIONS:
        for d in range(0, 25):
            for k in range(0, 5):
                if not any(n >= k for n in shapes(c, d)):
                    with pytest.raises(ValueError):
                        task.sentence(rng, True, d, k, construction=c)
                    continue
                for plural in (False, True):
                    s = task.sentence(rng, plural, d, k, construction=c)
                    assert _distance_and_attractors(s, c) == (d, k, plural), (c, s)
                    made.add(c)
    assert made == set(CONSTRUCTIONS)


def test_agreement_sentences_read_as_english():
    """No adjective or noun twice, every relative clause has its verb, only animate things act
    and only animate things are chased."""
    from rnncore.tasks.agreement_grammar import (ADJ_ANIMATE, ADJ_INANIMATE, ANIMATE, ANIMATE_WORDS, INANIMATE, IV,
                                                 TV_ANIMATE, WORDS)
    task = Agreement()
    rows, _, _, _, cons = task.heldout()
    vrows, *_, vcons = task.draw(np.random.default_rng(2), 600)
    adjectives = set(ADJ_ANIMATE) | set(ADJ_INANIMATE)
    nouns = SINGULAR | PLURAL | ANIMATE_WORDS | {"food", "milk"}
    verbs = {w for w in WORDS if w.endswith("ed") or w in ("saw", "met", "found", "ate", "drank", "ran", "left",
                                                          "slept", "knew", "thought", "said", "heard")}
    for r, c in zip(rows + vrows, [*cons, *vcons]):
        adj = [w for w in r if w in adjectives]
        assert len(adj) == len(set(adj)), r
        lemmas = [pair for w in r for pair in ANIMATE + INANIMATE if w in pair]
        assert len(lemmas) == len(set(lemmas)), r
        for i, w in enumerate(r):
            if w in TV_ANIMATE or w in IV:
                doer = next(x for x in reversed(r[:i]) if x in nouns)
                assert doer in ANIMATE_WORDS, (w, r)
            if w in TV_ANIMATE and i + 1 < len(r) and r[i + 1] == "the":
                obj = next(x for x in r[i + 1:] if x in nouns)
                assert obj in ANIMATE_WORDS, (w, r)
            if w in ("that", "which") and r[i - 1] not in ("said", "thought", "knew", "heard") \
                    and c != "obj_rel_inside_that":
                assert any(x in verbs for x in r[i + 1:]), r      # a relative clause has its verb


def test_agreement_heldout_is_longer_unseen_and_balanced():
    task = Agreement()
    rows, plural, dist, attr, cons = task.heldout()
    assert set(cons) == set(CONSTRUCTIONS)
    long = ~np.isin(cons, SHORT)
    assert dist[long].min() > task.distance[1]         # longer than any training sentence
    assert attr.max() > task.attractors[1]             # more attractors than in training
    assert plural.mean() == 0.5
    assert task.overlap() == 0
    train = {tuple(r) for r in task.draw(np.random.default_rng(3), 3000)[0]}
    assert not train & {tuple(r) for r in rows}
    again = Agreement().heldout()
    assert again[0] == rows                            # the same held-out sentences every time


def test_agreement_no_shortcut_reaches_70_percent():
    task = Agreement()
    rows, plural, *_ = task.heldout()
    base = task.baselines(rows, plural)
    assert set(base) >= {"first_noun", "last_noun", "majority_noun", "majority_class"}
    assert all(v <= 0.70 for v in base.values()), base


def test_agreement_training_mixes_constructions_within_range():
    task = Agreement()
    rows, plural, _, _, cons = task.draw(np.random.default_rng(1), 2000)
    assert set(cons) == set(CONSTRUCTIONS)
    for r, p, c in zip(rows, plural, cons):
        d, k, pl = _distance_and_attractors(r, c)
        assert pl == p and task.distance[0] <= d <= task.distance[1] and k <= task.attractors[1], (c, r)
    assert 0.45 < plural.mean() < 0.55
    b = task.batch(np.random.default_rng(1), 2000)
    assert np.array_equal(b.y, plural) and task.describe(b, 5)["x"] == rows[5]


def test_agreement_hold_out_keeps_constructions_out_of_training():
    task = Agreement(hold_out="sent_comp, fronted")
    assert "sent_comp" not in task.train_constructions and "fronted" not in task.train_constructions
    rows = task.draw(np.random.default_rng(0), 500)[0]
    from rnncore.tasks.agreement_grammar import SAY
    assert not any(w in SAY for r in rows for w in r)
    m = task.evaluate(Model(task.model_config(hidden_size=4), 0))
    assert m["held_out_constructions"] == ["sent_comp", "fronted"] and "sent_comp" in m["by_construction"]


@pytest.mark.parametrize("options, field", [
    ({"distance": "12-4"}, "distance"), ({"distance": "many"}, "distance"), ({"distance": (1, 2, 3)}, "distance"),
    ({"distance": 99}, "distance"), ({"test_distance": "5-30"}, "test_distance"), ({"attractors": "0-9"}, "attractors"),
    ({"mode": "regress"}, "mode"), ({"eval_per_cell": 0}, "eval_per_cell"), ({"hold_out": "passive"}, "hold_out"),
    ({"hold_out": ",".join(CONSTRUCTIONS)}, "hold_out"), ({"hold_out": 3}, "hold_out"),
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
    task = Agreement(mode="lm", eval_per_cell=2)
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
    assert set(m["by_attractors"]) == {0, 1, 2, 3, 4}


def test_agreement_metrics_and_reference():
    assert LINZEN_2016 == {0: 0.997, 1: 0.985, 2: 0.945, 3: 0.898}
    task = Agreement(eval_per_cell=2)
    m = task.evaluate(Model(task.model_config(hidden_size=4), 0))
    assert set(m["by_attractors"]) == {0, 1, 2, 3, 4} and set(m["by_construction"]) == set(CONSTRUCTIONS)
    assert set(m["by_distance"]) == {0, 2} | set(range(3, 23)) and isinstance(m["overlap"], int)
    assert m["reference"] == LINZEN_2016 and m["targets"] == TARGETS
    good = {**m, "accuracy": 0.96, "worst_construction": 0.9}
    bad = {**m, "accuracy": 0.99, "worst_construction": 0.89}
    assert task.target_reached(good) and not task.target_reached(bad)


def test_agreement_gru_learns_in_a_few_hundred_steps():
    task = Agreement(eval_per_cell=4)
    model = train_tiny(task, 300, cell="gru", hidden_size=16)
    m = task.evaluate(model)
    assert m["train_range_accuracy"] > 0.95 and m["accuracy"] > 0.9
