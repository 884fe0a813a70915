"""Plural agreement: "The cats which ate the fish were full" (notes §1, weak points).

The verb must agree in number with its subject, many words back. The sentences
come from a small English grammar with named constructions after Marvin & Linzen
(2018) (see :mod:`.agreement_grammar`): simple, across a prepositional phrase,
across subject and object relative clauses (with and without "that"), inside a
sentential complement, after a fronted phrase, inside an object relative clause,
short and long VP coordination. In three of them the subject is *not* the first
noun, and between subject and verb sit *attractors* (nouns of the other number),
so no position rule solves the task: ``evaluate`` reports what "first noun",
"last noun", "majority noun" and "majority class" score on the same sentences.

Distance is the number of words between the subject noun and the verb. The model
trains on a mix of all constructions at ``distance`` with ``attractors``, and is
scored on a held-out split at longer distances (``test_distance``) with more
attractors (``test_attractors``). Sentences of the held-out split never occur in
training (they are refused when drawn, and ``overlap`` counts them in a sample of
training batches). ``hold_out`` keeps whole constructions out of training, to
show what does not generalize (Marvin & Linzen found such cases hard).

Two modes:
- ``classify`` (many-to-one): x = the words before the verb, y = 1 if the verb
  must be plural ("were"), 0 if singular ("was"); sigmoid output.
- ``lm`` (many-to-many language model, as the notes' §1): x = <s> w1 … wn,
  y = w1 … wn <eos>, softmax over the vocabulary; scored by comparing
  P(were) with P(was) at the verb.

``preset="number-units"`` (see :data:`PRESETS`) is the lm mode with H = 128: the model in
which ablating the one or two top units breaks long-range agreement while random units do
not (Lakretz et al. 2019; bench/ablation.py --preset number-units, README "Insight tools").
"""
from __future__ import annotations

import numpy as np

from ..config import ConfigError
from ..data import Batch
from ..inputs import InputError, Reading
from ._words import PAD, accuracy, check_choice, check_int, pad, parse_range, predict, read_words, words
from .agreement_grammar import (CONSTRUCTIONS, PLURAL, PRED, PRED_INSIDE, SHORT, SINGULAR, VERB, WORDS, Grammar,
                                heuristics, shapes)
from .base import Task, Vocab, register

#: Linzen et al. (2016), the supervised number-prediction LSTM: accuracy on sentences
#: with 0, 1, 2, 3 attractors (for the app to draw as a reference).
LINZEN_2016 = {0: 0.997, 1: 0.985, 2: 0.945, 3: 0.898}
#: The issue's targets for LSTM and GRU on the held-out split: overall, and on every construction.
TARGETS = {"accuracy": 0.95, "worst_construction": 0.90}
BOS, EOS = "<s>", "<eos>"
MAX_DISTANCE = 40
#: training sentences sampled to count held-out sentences that training could draw
OVERLAP_SAMPLE = 4096
#: Named settings (``preset=NAME``): task options, model and training fields, steps. Options given
#: explicitly win over the preset's. "number-units" is the model in which unit ablation shows
#: Lakretz et al. (2019)'s few number units (bench/ablation.py --preset number-units; README).
PRESETS = {
    "number-units": {"options": {"mode": "lm"}, "model": {"hidden_size": 128}, "train": {}, "steps": 2500},
}

__all__ = ["Agreement", "CONSTRUCTIONS", "LINZEN_2016", "PLURAL", "PRESETS", "SINGULAR", "TARGETS", "VERB"]


@register
class Agreement(Task):
    name = "agreement"
    title = "Plural agreement"
    lesson = ("Long-range dependency: the verb agrees with its subject, which is not always the first noun "
              "(\"the boys said that the cat near the dogs was …\"); the GRU/LSTM memory cell keeps its number, "
              "a plain RNN's gradient vanishes.")
    shape = "many-to-one"
    defaults = {
        "distance": "0-12",        # words between subject and verb in training (lo-hi)
        "test_distance": "13-22",  # the held-out split: all longer than training
        "attractors": "0-2",       # nouns of the other number in between, in training (each count equally likely)
        "test_attractors": "0-4",  # ... and in the held-out split
        "hold_out": "",            # constructions never trained on, comma-separated (see CONSTRUCTIONS)
        "mode": "classify",        # classify (many-to-one, was/were) | lm (many-to-many next word)
        "eval_per_cell": 16,       # held-out sentences per (construction, attractors) cell
        "seed": 0,                 # seed of the held-out and validation splits (training uses the trainer's rng)
        "forget_bias": 1.0,        # LSTM only: initial bias of Γf (see prepare_model)
        "preset": "",              # a named setting of PRESETS ("number-units"), or "" for these defaults
    }
    model_defaults = {"cell": "lstm", "hidden_size": 32, "embedding_dim": 16, "dtype": "float32"}
    train_defaults = {"optimizer": "adam", "lr": 0.01, "batch_size": 64, "clip": "norm", "clip_threshold": 5.0}
    default_steps = 2500

    def __init__(self, **options):
        preset = PRESETS.get(check_choice("preset", options.get("preset", ""), ("", *PRESETS))) or {}
        super().__init__(**{**preset.get("options", {}), **options})
        if preset:                   # the model, training and steps the preset suggests (instance only)
            self.model_defaults = {**self.model_defaults, **preset["model"]}
            self.train_defaults = {**self.train_defaults, **preset["train"]}
            self.default_steps = preset["steps"]
        o = self.options
        self.distance = parse_range("distance", o["distance"], 0, MAX_DISTANCE)
        self.test_distance = parse_range("test_distance", o["test_distance"], 0, MAX_DISTANCE)
        self.attractors = parse_range("attractors", o["attractors"], 0, 6)
        self.test_attractors = parse_range("test_attractors", o["test_attractors"], 0, 8)
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
        held = o["hold_out"]
        if not isinstance(held, str):
            raise ConfigError(f"hold_out must be construction names separated by commas, got {held!r}")
        self.hold_out = tuple(dict.fromkeys(h.strip() for h in held.split(",") if h.strip()))
        for h in self.hold_out:
            check_choice("hold_out", h, CONSTRUCTIONS)
        self.train_constructions = [c for c in CONSTRUCTIONS if c not in self.hold_out]
        if not self.train_constructions:
            raise ConfigError("hold_out must leave at least one construction to train on")
        self._train_cells = {c: self._cells(c, self.distance, self.attractors) for c in self.train_constructions}
        self._train_cells = {c: v for c, v in self._train_cells.items() if v}
        if not self._train_cells:
            raise ConfigError(f"no construction fits distance {o['distance']!r} with attractors {o['attractors']!r}")
        if self.mode == "lm":
            self.shape = "many-to-many"
        self.vocab = Vocab([PAD, BOS, EOS, *WORDS])
        self._verb_ids = self.vocab.encode(VERB)
        self._split = None            # (held-out rows, plural, distance, attractors, construction), drawn once
        self._overlap = None

    @staticmethod
    def _cells(construction, distances, attractors) -> dict:
        """attractor count → the distances in ``distances`` at which ``construction`` can have them."""
        out = {}
        for k in range(attractors[0], attractors[1] + 1):
            ds = [d for d in range(distances[0], distances[1] + 1) if any(n >= k for n in shapes(construction, d))]
            if ds:
                out[k] = ds
        return out

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
    def sentence(self, rng, plural: bool, distance: int, attractors: int, construction: str | None = None) -> list[str]:
        """The words up to (not including) the verb: ``distance`` words after the subject noun,
        ``attractors`` nouns of the other number among them. ``construction`` None: one of the
        training constructions that can have this shape, or, when none can, the next distance
        at which one can (not every distance fits every construction: "the cat near the dogs" is 3)."""
        if construction is not None:
            check_choice("construction", construction, CONSTRUCTIONS)
            return Grammar(rng).sentence(construction, plural, distance, attractors)
        for d in range(distance, MAX_DISTANCE + 1):
            fits = [c for c in self.train_constructions if any(n >= attractors for n in shapes(c, d))]
            if fits:
                return Grammar(rng).sentence(fits[int(rng.integers(len(fits)))], plural, d, attractors)
        raise ConfigError(f"no construction has {attractors} attractors within distance {MAX_DISTANCE}")

    def draw(self, rng, n):
        """n training sentences: a construction, then an attractor count, then a distance, each
        uniform over what fits; never a sentence of the held-out split
        → (rows, plural, distance, attractors, construction)."""
        held = self._heldout_set()
        names = list(self._train_cells)
        rows, plural, dist, attr, cons = [], [], [], [], []
        g = Grammar(rng)
        while len(rows) < n:
            c = names[int(rng.integers(len(names)))]
            cells = self._train_cells[c]
            k = list(cells)[int(rng.integers(len(cells)))]
            d = cells[k][int(rng.integers(len(cells[k])))]
            p = bool(rng.random() < 0.5)
            row = g.sentence(c, p, d, k)
            if tuple(row) in held:
                continue
            rows.append(row)
            plural.append(p)
            dist.append(d)
            attr.append(k)
            cons.append(c)
        return rows, np.array(plural), np.array(dist), np.array(attr), np.array(cons)

    def _to_batch(self, rows, plural, rng=None, constructions=None) -> Batch:
        if self.mode == "classify":
            x, lengths = pad([self.vocab.encode(r) for r in rows])
            return Batch(x, plural.astype(float), lengths)
        if constructions is None:
            constructions = [None] * len(rows)
        full = [[BOS, *r, VERB[int(p)], self._continuation(c, rng), EOS]
                for r, p, c in zip(rows, plural, constructions)]
        ids = [self.vocab.encode(s) for s in full]
        x, lengths = pad([s[:-1] for s in ids])
        y, _ = pad([s[1:] for s in ids])
        return Batch(x, y, lengths)

    @staticmethod
    def _continuation(construction, rng) -> str:
        """The word after the verb (lm mode): "was chasing" inside an object relative, else a
        predicate that fits any subject ("the key was ready", "the cats were gone")."""
        pool = PRED_INSIDE if construction in ("obj_rel_inside_that", "obj_rel_inside_no_that") else PRED
        return pool[0] if rng is None else pool[int(rng.integers(len(pool)))]

    def batch(self, rng: np.random.Generator, size: int) -> Batch:
        rows, plural, _, _, cons = self.draw(rng, size)
        return self._to_batch(rows, plural, rng, cons)

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
        return self._encode_words(toks, text)

    def read(self, text: str) -> Reading:
        """No was/were and no noun the task knows: its number (the target) is unknown."""
        known = lambda low, _: any(w in VERB or w in SINGULAR or w in PLURAL for w in low)  # noqa: E731
        return read_words(text, self.vocab, self._encode_words, known)

    def _encode_words(self, toks: list[str], text: str) -> Batch:
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
        """The held-out split, drawn once from ``seed``: for every construction and every attractor
        count of ``test_attractors`` it can have, ``eval_per_cell`` sentences at a distance of
        ``test_distance`` (the short constructions at their own distances), half singular, half
        plural → (rows, plural, distance, attractors, construction)."""
        if self._split is None:
            self._split = self._grid(np.random.default_rng([self.seed, 7]))
        return self._split

    def _grid(self, rng):
        rows, plural, dist, attr, cons = [], [], [], [], []
        g = Grammar(rng)
        for c in CONSTRUCTIONS:
            span = (0, self.test_distance[1]) if c in SHORT else self.test_distance
            for k, ds in self._cells(c, span, self.test_attractors).items():
                for _ in range(self.eval_per_cell):
                    d = ds[int(rng.integers(len(ds)))]
                    p = len(rows) % 2 == 1
                    rows.append(g.sentence(c, p, d, k))
                    plural.append(p)
                    dist.append(d)
                    attr.append(k)
                    cons.append(c)
        return rows, np.array(plural), np.array(dist), np.array(attr), np.array(cons)

    def _heldout_set(self) -> set:
        return {tuple(r) for r in self.heldout()[0]}

    def validation(self, n: int = 512):
        """Fresh sentences at the training distances and attractors (a validation split, seeded
        apart from the held-out one; what to select on) → as :meth:`draw`."""
        return self.draw(np.random.default_rng([self.seed, 9]), n)

    def overlap(self) -> int:
        """Held-out sentences that occur in a sample of ``OVERLAP_SAMPLE`` training sentences (0: the
        training draw refuses them)."""
        if self._overlap is None:
            rows = self.draw(np.random.default_rng([self.seed, 11]), OVERLAP_SAMPLE)[0]
            seen = {tuple(r) for r in rows}
            self._overlap = sum(tuple(r) in seen for r in self.heldout()[0])
        return self._overlap

    def predict_plural(self, model, rows) -> np.ndarray:
        """P(plural) per sentence prefix: the sigmoid, or P(were) / (P(was) + P(were)) in lm mode."""
        if self.mode == "classify":
            x, lengths = pad([self.vocab.encode(r) for r in rows])
            return np.asarray(predict(model, x, lengths), float).reshape(-1)
        x, lengths = pad([self.vocab.encode([BOS, *r]) for r in rows])
        probs = predict(model, x, lengths)                       # (N, T, V)
        at_verb = probs[np.arange(len(rows)), lengths - 1][:, self._verb_ids]   # (N, 2): was, were
        return at_verb[:, 1] / at_verb.sum(axis=1)

    @staticmethod
    def baselines(rows, plural) -> dict:
        """What the shortcuts score on these sentences: the number of the first, the last and the
        most frequent noun (ties: the last), and always the majority class of training (singular:
        training is half and half)."""
        guesses = [heuristics(r) for r in rows]
        out = {name: accuracy(np.array([g[name] for g in guesses]) == plural)
               for name in ("first_noun", "last_noun", "majority_noun")}
        out["majority_class"] = accuracy(~plural)
        return out

    def evaluate(self, model, rng: np.random.Generator | None = None) -> dict:
        """Accuracy on the held-out split (longer distances, more attractors), by construction and
        attractors; the shortcuts' scores on it; accuracy on fresh sentences at the training distances
        (``train_range_accuracy``, a validation split); accuracy by distance over both (the short
        constructions once, from the validation split), so that the step from trained to longer
        distances shows. The splits are the task's own (drawn from ``seed``); ``rng`` is not used."""
        rows, plural, dist, attr, cons = self.heldout()
        hits = (self.predict_plural(model, rows) > 0.5) == plural
        vrows, vplural, vdist, *_ = self.validation()
        vhits = (self.predict_plural(model, vrows) > 0.5) == vplural
        long = ~np.isin(cons, SHORT)
        all_d, all_hits = np.concatenate([vdist, dist[long]]), np.concatenate([vhits, hits[long]])
        by_cons = {c: accuracy(hits[cons == c]) for c in CONSTRUCTIONS}
        out = {
            "accuracy": accuracy(hits),
            "worst_construction": min(by_cons.values()),
            "by_construction": by_cons,
            "by_attractors": {int(k): accuracy(hits[attr == k]) for k in np.unique(attr)},
            "by_distance": {int(d): accuracy(all_hits[all_d == d]) for d in np.unique(all_d)},
            "baselines": self.baselines(rows, plural),
            "overlap": int(self.overlap()),
            "train_range_accuracy": accuracy(vhits),
            "distance": list(self.distance),
            "test_distance": list(self.test_distance),
            "n": int(len(hits)),
            "targets": dict(TARGETS),
            "reference": dict(LINZEN_2016),
        }
        if self.hold_out:
            out["held_out_constructions"] = list(self.hold_out)
        return out

    def target_reached(self, metrics: dict) -> bool:
        return (metrics["accuracy"] >= TARGETS["accuracy"]
                and metrics["worst_construction"] >= TARGETS["worst_construction"])
