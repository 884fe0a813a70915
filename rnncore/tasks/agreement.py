"""Plural agreement: "The cats which ate the fish were full" (notes §1, weak points).

The verb must agree in number with a subject many words back. Between them come
relative clauses and prepositional phrases; some of their nouns have the other
number (*attractors*: "the key to the cabinets is"). Attractors are rare in real
text, so, as Linzen, Dupoux & Goldberg (2016) did for their analysis, the
generator oversamples them: every attractor count in the chosen range is
equally likely.

Distance is the number of words between the subject noun and the verb
("the cats [which ate the fish] were": 4). The model trains on the distances in
``distance`` and is scored on a held-out split whose distances are all longer
(``test_distance``): it must carry "the subject is plural" further than it ever
had to in training, as the GRU's and LSTM's memory cell can (§2).

Why training starts at distance 12 by default: with short sentences in the
training set (distance 0-6 or 6-12) even a plain RNN learns to latch the
subject's number and then carries it to any distance (measured: 100 % at
distance 40). What it cannot do is *learn* the dependency when every example is
long: its gradient from the verb back to the subject vanishes (notes §1, weak
points) and it stays at chance, while the GRU and LSTM learn it. Set
``distance`` to "0-6" and then "12-24" to watch the difference appear.

Two modes:
- ``classify`` (many-to-one): x = the words before the verb, y = 1 if the verb
  must be plural ("were"), 0 if singular ("was"); sigmoid output.
- ``lm`` (many-to-many language model, as the notes' §1): x = <s> w1 … wn,
  y = w1 … wn <eos>, softmax over the vocabulary; scored by comparing
  P(were) with P(was) at the verb.
"""
from __future__ import annotations

import numpy as np

from ..config import ConfigError
from ..data import Batch
from ..inputs import InputError
from ._words import PAD, accuracy, check_choice, check_int, pad, parse_range, predict, words
from .base import Task, Vocab, register

#: Linzen et al. (2016), table/figure for the supervised number-prediction LSTM:
#: accuracy on sentences with 0, 1, 2, 3 attractors (for the app to draw as a reference).
LINZEN_2016 = {0: 0.997, 1: 0.985, 2: 0.945, 3: 0.898}
#: The issue's targets for LSTM and GRU on the held-out (longer) split.
TARGETS = {0: 0.99, 1: 0.98, 2: 0.95, 3: 0.90}

NOUNS = (("cat", "cats"), ("dog", "dogs"), ("key", "keys"), ("cabinet", "cabinets"),
         ("author", "authors"), ("book", "books"), ("girl", "girls"), ("boy", "boys"),
         ("teacher", "teachers"), ("student", "students"), ("bird", "birds"), ("table", "tables"))
NEUTRAL = ("fish", "sheep", "food", "milk")      # objects whose form shows no number: never attractors
ADJ = ("big", "small", "old", "young", "happy", "hungry", "red", "little")
PREP = ("near", "behind", "with", "of", "to", "beside", "under", "for")
REL = ("which", "that")
TV = ("ate", "saw", "liked", "chased", "found", "helped", "followed", "watched")   # past tense: no number
IV = ("slept", "ran", "left", "smiled", "waited")
ADV = ("today", "again", "often", "yesterday", "quickly", "slowly")
PRED = ("full", "tired", "late", "ready", "here")
VERB = ("was", "were")                           # index = plural
BOS, EOS = "<s>", "<eos>"

SINGULAR = {s for s, _ in NOUNS}
PLURAL = {p for _, p in NOUNS}
MAX_DISTANCE = 60


@register
class Agreement(Task):
    name = "agreement"
    title = "Plural agreement"
    lesson = ("Long-range dependency: the verb agrees with a subject many words back "
              "(\"the cats which ate the fish were full\"); the GRU/LSTM memory cell keeps it, "
              "a plain RNN's gradient vanishes.")
    shape = "many-to-one"
    defaults = {
        "distance": "12-24",       # words between subject and verb in training (lo-hi)
        "test_distance": "25-36",  # the held-out split: all longer than training
        "attractors": "0-3",       # nouns of the other number in between, each count equally likely
        "mode": "classify",        # classify (many-to-one, was/were) | lm (many-to-many next word)
        "eval_per_cell": 32,       # held-out sentences per (distance, attractors) cell
        "seed": 0,                 # seed of the held-out split (training batches use the trainer's rng)
        "forget_bias": 1.0,        # LSTM only: initial bias of Γf (see prepare_model)
    }
    model_defaults = {"cell": "lstm", "hidden_size": 32, "embedding_dim": 16, "dtype": "float32"}
    train_defaults = {"optimizer": "adam", "lr": 0.01, "batch_size": 64, "clip": "norm", "clip_threshold": 5.0}
    default_steps = 2500

    def __init__(self, **options):
        super().__init__(**options)
        o = self.options
        self.distance = parse_range("distance", o["distance"], 0, MAX_DISTANCE)
        self.test_distance = parse_range("test_distance", o["test_distance"], 0, MAX_DISTANCE)
        self.attractors = parse_range("attractors", o["attractors"], 0, 6)
        self.mode = check_choice("mode", o["mode"], ("classify", "lm"))
        self.eval_per_cell = check_int("eval_per_cell", o["eval_per_cell"], 1, 10_000)
        self.seed = check_int("seed", o["seed"], 0, 2**63 - 1)
        fb = o["forget_bias"]
        if isinstance(fb, bool) or not isinstance(fb, (int, float)) or not -10 <= fb <= 10:
            raise ConfigError(f"forget_bias must be a number in [-10, 10], got {fb!r}")
        self.forget_bias = float(fb)
        if self.test_distance[0] <= self.distance[1]:
            raise ConfigError(f"test_distance must be longer than every training distance "
                              f"(first > {self.distance[1]}), got {o['test_distance']!r}")
        if 3 * self.attractors[0] > self.distance[1]:
            raise ConfigError(f"attractors {o['attractors']!r} need at least {3 * self.attractors[0]} words "
                              f"in between (3 per attractor), but distance is {o['distance']!r}")
        if self.mode == "lm":
            self.shape = "many-to-many"
        nouns = [w for pair in NOUNS for w in pair]
        self.vocab = Vocab([PAD, BOS, EOS, "the", *nouns, *NEUTRAL, *ADJ, *PREP, *REL, *TV, *IV, *ADV,
                            *VERB, *PRED])
        self._verb_ids = self.vocab.encode(VERB)

    # -- the model -------------------------------------------------------------
    def io_config(self) -> dict:
        if self.mode == "lm":
            return {"vocab_size": len(self.vocab), "shape": "many-to-many", "output": "softmax",
                    "output_size": len(self.vocab)}
        return {"vocab_size": len(self.vocab), "shape": "many-to-one", "output": "sigmoid", "output_size": 1}

    def prepare_model(self, model) -> None:
        """LSTM: start the forget gate open, b_f = ``forget_bias`` (1 by default).

        With the core's small uniform init Γf ≈ σ(0) = ½, so c<t> halves at every
        step and the subject's trace is ~½^12 by the verb: the LSTM sits at chance
        for hundreds or thousands of steps (measured: one seed in five never left it in
        3000 steps). b_f = 1 (Gers et al. 2000; Jozefowicz et al. 2015; Keras's
        ``unit_forget_bias``) keeps Γf ≈ 0.73 from the start. Other cells have no Γf.
        """
        if model.config.cell != "lstm":
            return
        H = model.config.hidden_size
        for name, b in model.params.items():
            if name.startswith("rnn.") and name.endswith(".b"):
                b[H:2 * H] = self.forget_bias          # core gate order: Γu, Γf, Γo, c̃

    # -- generating sentences -------------------------------------------------
    def sentence(self, rng, plural: bool, distance: int, attractors: int) -> list[str]:
        """Subject and everything up to (not including) the verb, with exactly
        ``distance`` words after the subject noun and ``attractors`` nouns of the other number."""
        if 3 * attractors > distance:
            raise ConfigError(f"{attractors} attractors need a distance of at least {3 * attractors}, got {distance}")
        num = int(plural)
        pick = lambda seq: seq[int(rng.integers(len(seq)))]  # noqa: E731
        subject = ["the"] + ([pick(ADJ)] if rng.random() < 0.3 else []) + [pick(NOUNS)[num]]
        # noun phrases: each 3..6 words (PP 3 / relative clause 4, plus up to 2 adjectives);
        # fillers (one intransitive relative clause, up to 2 adverbs) absorb up to 4 more.
        most = (distance - 3 * attractors) // 3
        least = max(0, -(-(distance - 4) // 6) - attractors)
        others = int(rng.integers(min(least, most), most + 1))
        nouns = [pick(NOUNS)[1 - num] for _ in range(attractors)]
        nouns += [pick(NOUNS)[num] if rng.random() < 0.6 else pick(NEUTRAL) for _ in range(others)]
        phrases = [{"kind": "pp" if rng.random() < 0.5 else "rc", "noun": n, "adj": 0} for n in nouns]
        size = lambda p: (3 if p["kind"] == "pp" else 4) + p["adj"]  # noqa: E731
        for p in phrases:                              # fit: shrink clauses to phrases if too long
            if sum(map(size, phrases)) > distance and p["kind"] == "rc":
                p["kind"] = "pp"
        irc, adverbs = False, 0
        slack = distance - sum(map(size, phrases))
        while slack > 0:
            moves = [("adj", p) for p in phrases if p["adj"] < 2] + [("rc", p) for p in phrases if p["kind"] == "pp"]
            if adverbs < 2:
                moves.append(("adv", None))
            if not irc and slack >= 2:
                moves.append(("irc", None))
            if not irc and adverbs:                    # an adverb becomes "which slept": one word more
                moves.append(("swap", None))
            what, p = moves[int(rng.integers(len(moves)))]
            if what == "adj":
                p["adj"] += 1
            elif what == "rc":
                p["kind"] = "rc"
            elif what == "adv":
                adverbs += 1
            elif what == "swap":
                irc, adverbs = True, adverbs - 1
            else:
                irc = True
            slack -= 2 if what == "irc" else 1
        spans = []
        for p in phrases:
            np_ = ["the"] + [pick(ADJ) for _ in range(p["adj"])] + [p["noun"]]
            if p["kind"] == "pp":
                spans.append([pick(PREP)] + np_)
            elif rng.random() < 0.5:                   # subject relative: "which ate the fish"
                spans.append([pick(REL), pick(TV)] + np_)
            else:                                      # object relative: "that the dogs saw"
                spans.append([pick(REL)] + np_ + [pick(TV)])
        if irc:
            spans.append([pick(REL), pick(IV)])
        order = rng.permutation(len(spans))
        middle = [w for i in order for w in spans[i]] + [pick(ADV) for _ in range(adverbs)]
        assert len(middle) == distance
        return subject + middle

    def _draw(self, rng, n, distances, attractors):
        """n sentences; (distance, attractors) drawn so that every attractor count is equally likely."""
        rows, plural, dist, attr = [], [], [], []
        d_lo, d_hi = distances
        k_hi = min(attractors[1], d_hi // 3)
        for _ in range(n):
            k = int(rng.integers(attractors[0], k_hi + 1))
            d = int(rng.integers(max(d_lo, 3 * k), d_hi + 1))
            p = bool(rng.random() < 0.5)
            rows.append(self.sentence(rng, p, d, k))
            plural.append(p)
            dist.append(d)
            attr.append(k)
        return rows, np.array(plural), np.array(dist), np.array(attr)

    def _to_batch(self, rows, plural, rng=None) -> Batch:
        if self.mode == "classify":
            x, lengths = pad([self.vocab.encode(r) for r in rows])
            return Batch(x, plural.astype(float), lengths)
        full = []
        for r, p in zip(rows, plural):
            pred = PRED[int(rng.integers(len(PRED)))] if rng is not None else "full"
            full.append([BOS, *r, VERB[int(p)], pred, EOS])
        ids = [self.vocab.encode(s) for s in full]
        x, lengths = pad([s[:-1] for s in ids])
        y, _ = pad([s[1:] for s in ids])
        return Batch(x, y, lengths)

    def batch(self, rng: np.random.Generator, size: int) -> Batch:
        rows, plural, _, _ = self._draw(rng, size, self.distance, self.attractors)
        return self._to_batch(rows, plural, rng)

    def display_example(self) -> Batch:
        """The notes' sentence: "The cats which ate the fish were full"."""
        return self.encode("The cats which ate the fish were full")

    def describe(self, batch: Batch, i: int = 0) -> dict:
        n = int(batch.x_lengths[i]) if batch.x_lengths is not None else batch.x.shape[1]
        x = self.vocab.decode(batch.x[i, :n])
        if self.mode == "classify":
            y = VERB[int(round(float(np.asarray(batch.y[i]).reshape(-1)[0])))]
        else:
            y = self.vocab.decode(batch.y[i, :n])
        return {"x": x, "y": y}

    def encode(self, text: str) -> Batch:
        """A typed sentence. Its first "was"/"were" is the verb to predict (the words
        after it are dropped); without one, the target is the first noun's number."""
        toks = [w.lower() for w in words(text)]
        self.vocab.encode(toks)                        # unknown words: InputError listing them
        verbs = [i for i, w in enumerate(toks) if w in VERB]
        if verbs:
            prefix, plural = toks[:verbs[0]], toks[verbs[0]] == "were"
        else:
            prefix = toks
            first = next((w for w in toks if w in SINGULAR or w in PLURAL), None)
            plural = first in PLURAL
        if not prefix:
            raise InputError(f"the sentence needs words before the verb, got {text!r}")
        if self.mode == "classify":
            return Batch(self.vocab.encode(prefix)[None], np.array([float(plural)]),
                         np.array([len(prefix)]))
        rest = toks[verbs[0] + 1:] if verbs else []
        seq = [BOS, *prefix, VERB[int(plural)], *[w for w in rest if w not in VERB], EOS]
        ids = self.vocab.encode(seq)
        return Batch(ids[None, :-1], ids[None, 1:], np.array([len(ids) - 1]))

    # -- metrics ---------------------------------------------------------------
    def heldout(self, rng=None):
        """The held-out split: every (distance, attractors) cell of ``test_distance`` ×
        ``attractors``, ``eval_per_cell`` sentences each → (rows, plural, distance, attractors)."""
        return self._grid(rng, self.test_distance)

    def _grid(self, rng, distances):
        rng = np.random.default_rng([self.seed, 7]) if rng is None else rng
        rows, plural, dist, attr = [], [], [], []
        for d in range(distances[0], distances[1] + 1):
            for k in range(self.attractors[0], min(self.attractors[1], d // 3) + 1):
                for _ in range(self.eval_per_cell):
                    p = len(rows) % 2 == 1             # balanced: half singular, half plural
                    rows.append(self.sentence(rng, p, d, k))
                    plural.append(p)
                    dist.append(d)
                    attr.append(k)
        return rows, np.array(plural), np.array(dist), np.array(attr)

    def predict_plural(self, model, rows) -> np.ndarray:
        """P(plural) per sentence prefix: the sigmoid, or P(were) / (P(was) + P(were)) in lm mode."""
        if self.mode == "classify":
            x, lengths = pad([self.vocab.encode(r) for r in rows])
            return np.asarray(predict(model, x, lengths), float).reshape(-1)
        x, lengths = pad([self.vocab.encode([BOS, *r]) for r in rows])
        probs = predict(model, x, lengths)                       # (N, T, V)
        at_verb = probs[np.arange(len(rows)), lengths - 1][:, self._verb_ids]   # (N, 2): was, were
        return at_verb[:, 1] / at_verb.sum(axis=1)

    def evaluate(self, model, rng: np.random.Generator | None = None) -> dict:
        """Accuracy by attractors on the held-out (longer) split, and by distance over
        training distances (fresh sentences) and held-out ones together."""
        rng = np.random.default_rng([self.seed, 7]) if rng is None else rng
        rows, plural, dist, attr = self._grid(rng, self.test_distance)
        hits = (self.predict_plural(model, rows) > 0.5) == plural
        irows, iplural, idist, iattr = self._grid(rng, self.distance)
        ihits = (self.predict_plural(model, irows) > 0.5) == iplural
        all_d, all_hits = np.concatenate([idist, dist]), np.concatenate([ihits, hits])
        return {
            "accuracy": accuracy(hits),
            "by_attractors": {int(k): accuracy(hits[attr == k]) for k in np.unique(attr)},
            "by_distance": {int(d): accuracy(all_hits[all_d == d]) for d in np.unique(all_d)},
            "train_range_accuracy": accuracy(ihits),
            "train_range_by_attractors": {int(k): accuracy(ihits[iattr == k]) for k in np.unique(iattr)},
            "distance": list(self.distance),
            "test_distance": list(self.test_distance),
            "n": int(len(hits)),
            "targets": dict(TARGETS),
            "reference": dict(LINZEN_2016),
        }

    def target_reached(self, metrics: dict) -> bool:
        by = metrics["by_attractors"]
        return all(by.get(k, by.get(str(k), 0.0)) >= t for k, t in TARGETS.items()
                   if self.attractors[0] <= k <= self.attractors[1])
