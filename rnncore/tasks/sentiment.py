"""Sentiment of short generated reviews (notes §1: many-to-one, "a review in, a rating out").

"the movie was not good at all" → negative; "the plot was never boring" →
positive; "the food was not good but the service was great" → positive: the
clause after "but" decides. Negation is oversampled, and with "but" a bag of
words cannot tell "not good but great" from "good but not great": the same
words, opposite labels. The model has to read in order.

y = 1 for a positive review, 0 for a negative one (sigmoid, many-to-one).
"""
from __future__ import annotations

import numpy as np

from ..data import Batch
from ..inputs import Reading
from ._words import PAD, accuracy, check_int, check_prob, draw_unseen, overlap, pad, predict, read_words, words
from .base import Task, Vocab, register

SUBJECTS = ("the movie", "this film", "the food", "the service", "the hotel", "the book", "the plot",
            "the music", "it")
POS_ADJ = ("good", "great", "excellent", "fun", "wonderful", "amazing")
NEG_ADJ = ("bad", "boring", "awful", "terrible", "poor", "dull")
INTENS = ("very", "really", "so", "quite")
COPULA = ("was", "is")
POS_VERB = (("liked", "like"), ("loved", "love"), ("enjoyed", "enjoy"))
NEG_VERB = (("hated", "hate"), ("disliked", "dislike"))
NEGATORS = ("not", "never")
LABELS = ("negative", "positive")
NEG_SET = set(NEG_ADJ) | {w for pair in NEG_VERB for w in pair}


def polarity(tokens: list[str]) -> int | None:
    """The grammar's own rule: the last clause (after "but" or "and") decides; its
    sentiment word, flipped by "not"/"never" before it. None if it has no sentiment word."""
    cuts = [i for i, w in enumerate(tokens) if w in ("but", "and")]
    clause = tokens[cuts[-1] + 1:] if cuts else tokens
    pos = set(POS_ADJ) | {w for pair in POS_VERB for w in pair}
    neg = set(NEG_ADJ) | {w for pair in NEG_VERB for w in pair}
    sign, seen = None, False
    for w in clause:
        if w in NEGATORS:
            seen = True
        elif w in pos or w in neg:
            sign = (w in pos) != seen
    return None if sign is None else int(sign)


@register
class Sentiment(Task):
    name = "sentiment"
    title = "Sentiment of short reviews"
    lesson = ("Many-to-one: a whole review in, one rating out; \"not good at all\" is negative, "
              "and after \"but\" the last clause decides, so word order matters.")
    shape = "many-to-one"
    defaults = {
        "negation": 0.5,    # probability that a clause is negated ("not good", "did not like")
        "contrast": 0.3,    # probability of two clauses joined by "but" (the second decides)
        "eval_size": 2000,  # held-out reviews scored by evaluate()
        "seed": 0,          # seed of the held-out reviews
    }
    model_defaults = {"cell": "lstm", "hidden_size": 32, "embedding_dim": 16, "dtype": "float32"}
    train_defaults = {"optimizer": "adam", "lr": 0.01, "batch_size": 32, "clip": "norm", "clip_threshold": 5.0}
    default_steps = 1000
    TARGET = {"accuracy": 0.98, "negation_accuracy": 0.97, "contrast_accuracy": 0.95}

    def __init__(self, **options):
        super().__init__(**options)
        self.negation = check_prob("negation", self.options["negation"])
        self.contrast = check_prob("contrast", self.options["contrast"])
        self.eval_size = check_int("eval_size", self.options["eval_size"], 10, 100_000)
        self.seed = check_int("seed", self.options["seed"], 0, 2**63 - 1)
        ws = [PAD, "i", "did", "it", "at", "all", "and", "but", *NEGATORS, *INTENS, *COPULA, *POS_ADJ, *NEG_ADJ]
        for text in SUBJECTS:
            ws += text.split()
        for pair in POS_VERB + NEG_VERB:
            ws += pair
        self.vocab = Vocab(ws)

    def io_config(self) -> dict:
        return {"vocab_size": len(self.vocab), "shape": "many-to-one", "output": "sigmoid", "output_size": 1}

    # -- generating reviews ----------------------------------------------------
    def clause(self, rng, positive: bool) -> tuple[list[str], bool]:
        """One clause with the given meaning → (words, negated)."""
        pick = lambda seq: seq[int(rng.integers(len(seq)))]  # noqa: E731
        negated = bool(rng.random() < self.negation)
        word_positive = positive != negated          # a negated clause says the opposite word
        if rng.random() < 0.65:                      # "the movie was (not) (very) good (at all)"
            adj = pick(POS_ADJ if word_positive else NEG_ADJ)
            ws = pick(SUBJECTS).split() + [pick(COPULA)]
            if negated:
                if rng.random() < 0.25:
                    return ws + ["never", adj], True
                ws.append("not")
            if rng.random() < 0.4:
                ws.append(pick(INTENS))
            ws.append(adj)
            if negated and rng.random() < 0.4:
                ws += ["at", "all"]
            return ws, negated
        past, base = pick(POS_VERB if word_positive else NEG_VERB)   # "i (did not) (really) like(d) it"
        ws = ["i"] + (["did", "not"] if negated else [])
        if rng.random() < 0.3:
            ws.append("really")
        ws += [base if negated else past, "it"]
        if negated and rng.random() < 0.4:
            ws += ["at", "all"]
        return ws, negated

    def review(self, rng, positive: bool) -> tuple[list[str], dict]:
        """A review meaning ``positive`` → (words, {'negated', 'contrast'}) of its deciding clause."""
        last, negated = self.clause(rng, positive)
        r = rng.random()
        if r < self.contrast:                        # "<the opposite> but <the verdict>"
            first, _ = self.clause(rng, not positive)
            return first + ["but"] + last, {"negated": negated, "contrast": True}
        if r < self.contrast + 0.15:                 # "<agreeing> and <the verdict>"
            first, _ = self.clause(rng, positive)
            return first + ["and"] + last, {"negated": negated, "contrast": False}
        return last, {"negated": negated, "contrast": False}

    def _draw(self, rng, n, balanced=False):
        rows, labels, info = [], [], []
        for i in range(n):
            p = (i % 2 == 1) if balanced else bool(rng.random() < 0.5)
            ws, inf = self.review(rng, p)
            rows.append(ws)
            labels.append(p)
            info.append(inf)
        return rows, np.array(labels), info

    def _to_batch(self, rows, labels) -> Batch:
        x, lengths = pad([self.vocab.encode(r) for r in rows])
        return Batch(x, np.asarray(labels, float), lengths)

    def train_reviews(self, rng, n):
        """n training reviews, never one of the held-out split → (rows, labels)."""
        held = {tuple(r) for r in self.heldout()[0]}
        pairs = draw_unseen(lambda: self._draw(rng, 1), held, n, key=lambda d: tuple(d[0][0]))
        return [d[0][0] for d in pairs], np.array([d[1][0] for d in pairs])

    def batch(self, rng: np.random.Generator, size: int) -> Batch:
        return self._to_batch(*self.train_reviews(rng, size))

    def heldout(self):
        """The held-out reviews, half positive, fixed by ``seed`` → (rows, labels, info)."""
        if getattr(self, "_held", None) is None:
            self._held = self._draw(np.random.default_rng([self.seed, 17]), self.eval_size, balanced=True)
        return self._held

    def overlap(self) -> int:
        """Held-out reviews found in a sample of 4000 training reviews (0: training refuses them)."""
        if getattr(self, "_overlap", None) is None:
            train = self.train_reviews(np.random.default_rng([self.seed, 19]), 4000)[0]
            self._overlap = overlap(map(tuple, self.heldout()[0]), map(tuple, train))
        return self._overlap

    @staticmethod
    def baselines(rows, labels) -> dict:
        """The last sentiment word's own polarity (negation ignored), and always "positive"
        (training is half and half)."""
        pos = set(POS_ADJ) | {w for pair in POS_VERB for w in pair}
        last = np.array([next((w in pos for w in reversed(r) if w in pos or w in NEG_SET), True) for r in rows])
        return {"last_sentiment_word": accuracy(last == labels), "majority_class": accuracy(labels)}

    def display_example(self) -> Batch:
        return self.encode("the movie was not good at all")

    def describe(self, batch: Batch, i: int = 0) -> dict:
        n = int(batch.x_lengths[i]) if batch.x_lengths is not None else batch.x.shape[1]
        y = int(round(float(np.asarray(batch.y[i]).reshape(-1)[0])))
        return {"x": self.vocab.decode(batch.x[i, :n]), "y": LABELS[y]}

    def encode(self, text: str) -> Batch:
        """A typed review; its target follows the grammar's rule (0 when it has no sentiment word)."""
        return self._encode_words([w.lower() for w in words(text)], text)

    def read(self, text: str) -> Reading:
        """A review with no sentiment word has no known label (encode's 0 is a stand-in)."""
        return read_words(text, self.vocab, self._encode_words, lambda low, _: polarity(low) is not None)

    def _encode_words(self, toks: list[str], text: str = "") -> Batch:
        ids = self.vocab.encode(toks)                  # unknown words: InputError listing them
        label = polarity(toks)
        return Batch(ids[None], np.array([float(label or 0)]), np.array([len(toks)]))

    # -- metrics ---------------------------------------------------------------
    def evaluate(self, model, rng: np.random.Generator | None = None) -> dict:
        """Accuracy overall, on negated reviews, on "but" reviews, and on the words'
        opposite meaning ("not bad" positive, "not good" negative)."""
        rows, labels, info = self.heldout()
        b = self._to_batch(rows, labels)
        p = np.asarray(predict(model, b.x, b.x_lengths), float).reshape(-1)
        hits = (p > 0.5) == labels
        neg = np.array([i["negated"] for i in info])
        con = np.array([i["contrast"] for i in info])
        return {
            "accuracy": accuracy(hits),
            "negation_accuracy": accuracy(hits[neg]),
            "plain_accuracy": accuracy(hits[~neg]),
            "contrast_accuracy": accuracy(hits[con]),
            "negated_positive_accuracy": accuracy(hits[neg & labels]),   # "not bad", "never boring"
            "negated_negative_accuracy": accuracy(hits[neg & ~labels]),  # "not good at all"
            "baselines": self.baselines(rows, labels),
            "overlap": self.overlap(),
            "n": int(len(hits)),
            "targets": dict(self.TARGET),
        }

    def target_reached(self, metrics: dict) -> bool:
        return all(metrics[k] >= v for k, v in self.TARGET.items())
