"""The sequence tasks (lm, adding, exploding, melody, dates, user-labels): seeded
determinism, shapes that fit their models, labels checked by hand, and the
lessons they exist for, on tiny runs."""
import datetime as dt

import numpy as np
import pytest

from rnncore import Model
from rnncore.config import ConfigError
from rnncore.inputs import InputError
from rnncore.tasks import TASKS, make_task
from rnncore.trainer import Trainer

NAMES = ["lm", "adding", "exploding", "melody", "dates", "user-labels"]
VARIANTS = [("lm", {}), ("lm", {"level": "word"}), ("adding", {}), ("adding", {"length": 7}), ("exploding", {}),
            ("melody", {}), ("dates", {}), ("user-labels", {})]


def same(a, b):
    return all(np.array_equal(getattr(a, f), getattr(b, f)) for f in ("x", "y", "x_lengths", "y_lengths")
               if getattr(a, f) is not None or getattr(b, f) is not None)


def test_registered_with_metadata():
    for name in NAMES:
        cls = TASKS[name]
        assert cls.name == name and cls.title and cls.lesson and cls.shape and cls.default_steps > 0


@pytest.mark.parametrize("name,opts", VARIANTS)
def test_seeded_batches_fit_the_model(name, opts):
    t = make_task(name, **opts)
    a = t.batch(np.random.default_rng(3), 5)
    b = t.batch(np.random.default_rng(3), 5)
    c = t.batch(np.random.default_rng(4), 5)
    assert same(a, b) and not same(a, c)
    cfg = t.model_config(hidden_size=4)
    assert cfg.shape == t.shape
    m = Model(cfg, 0)
    if hasattr(t, "prepare_model"):
        t.prepare_model(m)
    res = m.loss_and_grads(a)
    assert np.isfinite(res.loss)
    for example in (t.display_example(), a.take(0)):
        d = t.describe(example, 0)
        assert set(d) >= {"x", "y"} and all(isinstance(s, str) for s in d["x"] + d["y"])
        assert np.isfinite(m.loss(example))
    t.train_config()                                      # the suggested TrainConfig is valid


TYPED = {"lm": "the cat", "adding": "0.1 [0.2] [0.3]", "exploding": "1 -2 3", "melody": "arpeggio",
         "dates": "26 nov 2026", "user-labels": "harry potter and hermione granger invented a new spell"}


@pytest.mark.parametrize("name", NAMES)
def test_typed_text_encodes_to_a_batch_the_model_reads(name):
    t = make_task(name)
    b = t.encode(TYPED[name])
    assert len(b) == 1
    m = Model(t.model_config(hidden_size=4), 0)
    assert np.isfinite(m.loss(b))
    assert m.trace(b).flat()
    with pytest.raises(InputError):
        t.encode("   ")


def test_unknown_and_bad_options():
    with pytest.raises(ConfigError, match="unknown option"):
        make_task("adding", lenght=5)
    for name, opts in [("adding", {"length": 1}), ("lm", {"level": "syllable"}), ("exploding", {"scale": -1.0}),
                       ("exploding", {"delay": 40}), ("melody", {"length": 30})]:
        with pytest.raises(ConfigError):
            make_task(name, **opts)


# -- adding ----------------------------------------------------------------------
def test_adding_targets_by_hand():
    t = make_task("adding", length=10)
    b = t.batch(np.random.default_rng(0), 50)
    x, y = b.x, b.y[:, 0]
    assert x.shape == (50, 10, 2) and b.y.shape == (50, 1)
    assert np.all(x[:, :, 1].sum(axis=1) == 2)
    assert np.all(x[:, :5, 1].sum(axis=1) == 1) and np.all(x[:, 5:, 1].sum(axis=1) == 1)
    assert np.allclose(y, (x[:, :, 0] * x[:, :, 1]).sum(axis=1))
    e = t.encode("0.3 [0.5] 0.1, [0.25]")
    assert e.x.shape == (1, 4, 2) and e.y[0, 0] == pytest.approx(0.75)
    assert e.x[0, :, 1].tolist() == [0, 1, 0, 1]
    with pytest.raises(InputError, match="exactly two"):
        t.encode("0.3 [0.5] 0.1")
    with pytest.raises(InputError, match="not a number"):
        t.encode("0.3 [x] [0.1]")


def test_adding_baseline_is_one_sixth():
    from rnncore.tasks.adding import BASELINE_MSE
    assert BASELINE_MSE == pytest.approx(1 / 6)
    y = make_task("adding").batch(np.random.default_rng(1), 20000).y
    assert np.mean((y - 1.0) ** 2) == pytest.approx(1 / 6, abs=0.006)


# -- exploding -------------------------------------------------------------------
def test_exploding_prepare_model_sets_the_spectral_radius():
    t = make_task("exploding", scale=2.5)
    m = Model(t.model_config(), 0)
    t.prepare_model(m)
    W = m.params["rnn.l0.fwd.Wh"].astype(float)
    assert np.max(np.abs(np.linalg.eigvals(W))) == pytest.approx(2.5, rel=1e-4)
    assert t.evaluate(m)["spectral_radius"]["rnn.l0.fwd.Wh"] == pytest.approx(2.5, rel=1e-4)


def test_exploding_target_is_the_delayed_input():
    t = make_task("exploding", length=6, delay=2)
    b = t.encode("1 2 3 4 5 6")
    assert b.y[0, :, 0].tolist() == [0, 0, 1, 2, 3, 4]


def run(t, steps, **train):
    m = Model(t.model_config(), np.random.default_rng([0, 0]))
    if hasattr(t, "prepare_model"):
        t.prepare_model(m)
    tr = Trainer(m, t, t.train_config(**train))
    return m, list(tr.run(steps))


def test_exploding_diverges_without_clipping_and_trains_with_it():
    t = make_task("exploding")
    _, snaps = run(t, 150, clip="none")
    assert not snaps[-1].ok and "Training stopped" in snaps[-1].diverged
    assert len(snaps) < 150
    m, snaps = run(t, 150)                                # the defaults clip the global norm at 1.0
    assert all(s.ok for s in snaps)
    assert max(s.grad_norm for s in snaps) > 10           # the gradient does explode ...
    assert all(s.grad_norm_clipped <= 1.0 + 1e-6 for s in snaps)   # ... and every step is clipped to 1
    assert snaps[-1].loss < snaps[0].loss


# -- lm --------------------------------------------------------------------------
def test_lm_inputs_are_previous_targets_with_start_and_eos():
    for level in ("char", "word"):
        t = make_task("lm", level=level)
        b = t.batch(np.random.default_rng(0), 8)
        for i in range(8):
            n = int(b.x_lengths[i])
            assert b.x[i, 0] == t.start_id and b.y[i, n - 1] == t.eos_id
            assert np.array_equal(b.x[i, 1:n], b.y[i, :n - 1])
    t = make_task("lm", level="word")
    d = t.describe(t.encode("The apple and PEAR salad!"))
    assert d["x"] == ["<s>", "the", "apple", "and", "pear", "salad"]
    assert d["y"] == ["the", "apple", "and", "pear", "salad", "<eos>"]
    with pytest.raises(InputError, match="'spaceship'"):
        t.encode("the spaceship salad")
    c = make_task("lm")
    assert c.describe(c.encode("a pear"))["y"] == ["a", " ", "p", "e", "a", "r", "<eos>"]


def test_lm_corpus_has_the_lesson():
    t = make_task("lm", level="word")
    text = open(make_task("lm").path, encoding="utf-8").read()
    assert "pear salad" in text and "pair of" in text and "pair salad" not in text
    assert "apple and pear salad" not in text          # the scored sentence is not in the corpus
    assert t.overlap() == {"heldout_in_training": 0, "corpus_with_minimal_pair": 0}
    assert t.bigram_perplexity < t.unigram_perplexity
    assert 300 <= len(t.sentences) <= 1000


def test_lm_score_and_sample_api():
    t = make_task("lm", level="word")
    m = Model(t.model_config(hidden_size=8), 0)
    s = t.score(m, "the apple and pear salad")
    assert s["tokens"][-1] == "<eos>" and len(s["log_probs"]) == 6
    assert s["total"] == pytest.approx(sum(s["log_probs"]))
    out = t.sample(m, np.random.default_rng(0), temperature=1.0, n=2, max_len=5)
    assert len(out) == 2 and all(len(o.split()) <= 5 for o in out)
    assert t.sample(m, np.random.default_rng(0), n=1, max_len=3, prefix="the cat")[0].startswith("the cat")


@pytest.mark.parametrize("level,steps", [("word", 250)])
def test_lm_learns_pear_salad_over_pair_salad(level, steps):
    t = make_task("lm", level=level)
    m, _ = run(t, steps)
    e = t.evaluate(m)
    assert e["pear_beats_pair"] and e["perplexity"] < 0.2 * e["unigram_perplexity"]


# -- melody ----------------------------------------------------------------------
def test_melody_styles_by_hand():
    t = make_task("melody")
    d = t.describe(t.display_example())
    assert d == {"x": ["arpeggio"], "y": ["C4", "E4", "G4", "C5", "G4", "E4", "C4", "E4"]}
    assert t.describe(t.encode("motif"))["y"] == ["C4", "C4", "G4", "G4", "A4", "A4", "G4", "G4"]
    assert t.describe(t.encode("scale-down"))["y"][:3] == ["C5", "B4", "A4"]
    b = t.batch(np.random.default_rng(0), 40)
    for i in range(40):
        assert t.style_of(b.y[i]) == t.styles[int(np.argmax(b.x[i]))]
    with pytest.raises(InputError, match="unknown style"):
        t.encode("jazz")


def test_melody_trains_and_samples_in_style():
    t = make_task("melody")
    m, snaps = run(t, 500)
    e = t.evaluate(m)
    assert t.target_reached(e), e
    assert snaps[-1].per_step_loss.sum() < 0.5 * snaps[0].per_step_loss.sum()
    s = t.sample(m, np.random.default_rng(1), n=2, style="scale-up")
    assert all(x.startswith("scale-up: ") for x in s)


# -- dates -----------------------------------------------------------------------
def test_dates_normalisation_by_hand():
    from rnncore.tasks.dates import FORMATS, human, machine
    d = dt.date(2026, 11, 26)
    assert [human(d, f) for f in FORMATS] == ["26 nov 2026", "26 november 2026", "november 26, 2026",
                                              "nov 26, 2026", "26/11/2026", "26.11.2026"]
    assert machine(dt.date(1999, 3, 5)) == "1999-03-05"
    t = make_task("dates")
    for text in ("26 nov 2026", "November 26, 2026", "26/11/2026", " 26.11.2026 "):
        b = t.encode(text)
        assert "".join(t.describe(b)["y"]) == "2026-11-26"
    b = t.batch(np.random.default_rng(0), 30)
    for i in range(30):
        d = t.describe(b, i)
        assert t.parse("".join(d["x"])).isoformat() == "".join(d["y"])
    assert b.y.shape == (30, 10) and b.x.shape[1] <= t.T_x
    with pytest.raises(InputError, match="unknown token"):
        t.encode("26 nov 2026!")


def test_dates_translate_runs_greedy():
    t = make_task("dates")
    m = Model(t.model_config(hidden_size=4), 0)
    out = t.translate(m, ["26 nov 2026", "1 january 1950"])
    assert len(out) == 2 and all(len(s) == 10 for s in out)
    assert set(t.evaluate(m)) >= {"exact_match", "by_format", "char_accuracy", "baselines", "overlap",
                                  "out_of_range_exact_match"}
