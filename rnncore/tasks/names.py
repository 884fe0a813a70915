"""Name tagging (notes §1, notation) and Teddy (notes §2, bidirectional RNN).

names: x = "Harry Potter and Hermione Granger invented a new spell",
       y = 1 1 0 1 1 0 0 0 0 — is the t-th word part of a person's name.
       Sentences come from a small grammar and name lists. Some names are also
       ordinary words ("Rose Weasley gave Harry a rose", "Sirius Black wore a
       black cloak", "Harry will visit ..." / "Will Weasley ..."), so context
       matters, not only the word.
teddy: "Teddy bears are on sale" / "Teddy Roosevelt was a great president":
       whether "Teddy" is a name is decided only by the words AFTER it. The words
       before it are drawn independently of the answer, so a unidirectional RNN
       can only guess (≈ 50 %), while a BRNN (→a and ←a) reads the next word.

Both are many-to-many with one sigmoid per step and the notes' per-step
binary cross-entropy L<t>. Words are lower-cased for the model; ``describe``
capitalizes names and the first word for display.
"""
from __future__ import annotations

import numpy as np

from ..data import Batch
from ..inputs import Reading
from ._words import (PAD, accuracy, check_int, check_prob, draw_unseen, overlap, predict, read_words, tagged_batch,
                     words)
from .base import Task, Vocab, register

NOTES_SENTENCE = "Harry Potter and Hermione Granger invented a new spell"
NOTES_TAGS = (1, 1, 0, 1, 1, 0, 0, 0, 0)

FIRST = ("harry", "hermione", "ron", "ginny", "albus", "luna", "neville", "draco", "severus",
         "minerva", "sirius", "remus", "cedric", "fred", "george", "percy", "arthur", "molly")
LAST = ("potter", "granger", "weasley", "dumbledore", "lovegood", "longbottom", "malfoy", "snape",
        "mcgonagall", "lupin", "diggory")
#: Names that are also ordinary words; the grammar uses both senses.
AMBIGUOUS_FIRST = ("rose", "will", "bill", "frank", "grace", "hope", "mark")
AMBIGUOUS_LAST = ("black",)
AMBIGUOUS = AMBIGUOUS_FIRST + AMBIGUOUS_LAST

# Verb phrases: (words, takes a person object after the verb). The common senses
# of the ambiguous words live here.
VPS = (
    ("invented a new spell", False), ("cast a spell", False), ("found the old book", False),
    ("visited the castle", False), ("wore a black cloak", False), ("saw a black cat", False),
    ("paid the bill", False), ("lost all hope", False), ("danced with grace", False),
    ("made a mark on the map", False), ("picked a red rose", False), ("will visit the castle", False),
    ("will cast a spell", False), ("read a frank letter", False), ("met", True), ("helped", True),
    ("thanked", True), ("gave", True),
)
PREFIXES = ("", "yesterday", "today", "in the library", "at night")
SUFFIXES = ("", "in the library", "at night", "yesterday")
OTHERS = ("the teacher", "a student", "the old wizard", "my friend")


def _vocab_words():
    out = [PAD, "and", "a", "rose"]
    for text in [*(v for v, _ in VPS), *PREFIXES, *SUFFIXES, *OTHERS]:
        out += text.split()
    return out + list(FIRST + LAST + AMBIGUOUS)


def _display(tokens, tags, proper=()):
    """Capitalize names (and ``proper`` words) and the first word, as the notes write the sentence."""
    return [w.capitalize() if (i == 0 or t or w in proper) else w for i, (w, t) in enumerate(zip(tokens, tags))]


def _infer_tags(typed: list[str]) -> list[int]:
    """Targets for a typed sentence: the name lists, and for a word that is both a
    name and an ordinary word, its capital letter (mid-sentence), or at the start a
    surname right after it."""
    low = [w.lower() for w in typed]
    tags = []
    for i, w in enumerate(low):
        if w in AMBIGUOUS:
            if i > 0:
                tags.append(int(typed[i][0].isupper()))
            else:
                nxt = low[1] if len(low) > 1 else ""
                tags.append(int(nxt in LAST or nxt in AMBIGUOUS_LAST))
        else:
            tags.append(int(w in FIRST or w in LAST))
    # a surname-like ambiguous word right after a first name is part of the name ("Sirius Black")
    for i in range(1, len(low)):
        if low[i] in AMBIGUOUS_LAST and tags[i - 1] and low[i - 1] in FIRST + AMBIGUOUS_FIRST:
            tags[i] = 1
    return tags


class _Tagging(Task):
    """Shared by names and teddy: per-token 0/1 tags, sigmoid, many-to-many."""

    shape = "many-to-many"
    proper: tuple = ()          # words always capitalized on screen ("Teddy bears")
    model_defaults = {"cell": "lstm", "hidden_size": 32, "embedding_dim": 16, "dtype": "float32"}
    train_defaults = {"optimizer": "adam", "lr": 0.01, "batch_size": 32, "clip": "norm", "clip_threshold": 5.0}

    def __init__(self, **options):
        super().__init__(**options)
        self.seed = check_int("seed", self.options["seed"], 0, 2**63 - 1)
        self.eval_size = check_int("eval_size", self.options["eval_size"], 10, 100_000)

    def io_config(self) -> dict:
        return {"vocab_size": len(self.vocab), "shape": "many-to-many", "output": "sigmoid", "output_size": 1}

    #: training sentences sampled to count held-out sentences that training could draw
    OVERLAP_SAMPLE = 4000

    def sentences(self, rng, n):
        raise NotImplementedError

    def train_sentences(self, rng, n):
        """n training sentences, never one of the held-out split → (tokens, tags)."""
        held = {tuple(t) for t in self._eval_set()[0]}
        pairs = draw_unseen(lambda: self.sentences(rng, 1), held, n, key=lambda p: tuple(p[0][0]))
        return [p[0][0] for p in pairs], [p[1][0] for p in pairs]

    def batch(self, rng: np.random.Generator, size: int) -> Batch:
        toks, tags = self.train_sentences(rng, size)
        return tagged_batch(self.vocab, toks, tags)

    def overlap(self) -> int:
        """Held-out sentences found in a sample of ``OVERLAP_SAMPLE`` training sentences (0: refused)."""
        if getattr(self, "_overlap", None) is None:
            train = self.train_sentences(np.random.default_rng([self.seed, 17]), self.OVERLAP_SAMPLE)[0]
            self._overlap = overlap(map(tuple, self._eval_set()[0]), map(tuple, train))
        return self._overlap

    @staticmethod
    def majority_tag(tags) -> float:
        """Token accuracy of always answering the more frequent tag of training (0: not a name)."""
        return accuracy(np.concatenate([np.asarray(g) == 0 for g in tags]))

    def describe(self, batch: Batch, i: int = 0) -> dict:
        n = int(batch.x_lengths[i]) if batch.x_lengths is not None else batch.x.shape[1]
        tags = [int(round(float(v))) for v in np.asarray(batch.y[i]).reshape(-1)[:n]]
        return {"x": _display(self.vocab.decode(batch.x[i, :n]), tags, self.proper), "y": [str(t) for t in tags]}

    def encode(self, text: str) -> Batch:
        return self._encode_words([w.lower() for w in words(text)], text)

    def read(self, text: str) -> Reading:
        """A word the task never saw may be a name or not: with one, the tags are not known."""
        return read_words(text, self.vocab, self._encode_words, lambda _, unknown: not unknown)

    def _encode_words(self, low: list[str], text: str) -> Batch:
        return tagged_batch(self.vocab, [low], [_infer_tags(words(text))])

    def _eval_set(self, rng=None):
        """The held-out sentences, fixed by ``seed`` (drawn once; ``rng`` is not used, so that
        training can refuse exactly these)."""
        if getattr(self, "_held", None) is None:
            self._held = self.sentences(np.random.default_rng([self.seed, 11]), self.eval_size)
        return self._held

    def _probs(self, model, toks, tags) -> np.ndarray:
        """P(name) per token, (N, T_max)."""
        b = tagged_batch(self.vocab, toks, tags)
        return np.asarray(predict(model, b.x, b.x_lengths), float).reshape(len(b), -1)

    def _token_stats(self, toks, tags, p):
        pred, gold = [], []
        for i, (t, g) in enumerate(zip(toks, tags)):
            pred += list(p[i, :len(t)] > 0.5)
            gold += list(np.asarray(g, bool))
        pred, gold = np.array(pred), np.array(gold)
        tp = int(np.sum(pred & gold))
        fp = int(np.sum(pred & ~gold))
        fn = int(np.sum(~pred & gold))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"token_accuracy": accuracy(pred == gold), "precision": precision, "recall": recall, "f1": f1}


@register
class NameTagging(_Tagging):
    name = "names"
    title = "Name tagging"
    lesson = ("Notation and the per-timestep loss: y<t> = 1 if the t-th word is part of a person's "
              "name, L = Σ_t L<t> (\"Harry Potter and Hermione Granger invented a new spell\").")
    defaults = {
        "ambiguous": 0.4,   # probability that a sentence uses a name that is also an ordinary word (or vice versa)
        "eval_size": 1000,  # held-out sentences scored by evaluate()
        "seed": 0,          # seed of the held-out sentences
    }
    default_steps = 600
    TARGET = {"token_accuracy": 0.99, "f1": 0.98}

    def __init__(self, **options):
        super().__init__(**options)
        self.ambiguous = check_prob("ambiguous", self.options["ambiguous"])
        self.vocab = Vocab(_vocab_words())

    def _person(self, rng, amb):
        pick = lambda seq: seq[int(rng.integers(len(seq)))]  # noqa: E731
        first = pick(AMBIGUOUS_FIRST) if amb and rng.random() < 0.5 else pick(FIRST)
        r = rng.random()
        if r < 0.35:
            return [first]
        if r < 0.9:
            last = "black" if amb and rng.random() < 0.3 else pick(LAST)
            return [first, last]
        return [pick(LAST)]                            # "Potter cast a spell"

    def sentence(self, rng) -> tuple[list[str], list[int]]:
        pick = lambda seq: seq[int(rng.integers(len(seq)))]  # noqa: E731
        amb = rng.random() < self.ambiguous
        toks, tags = [], []

        def add(ws, tag):
            toks.extend(ws)
            tags.extend([tag] * len(ws))

        pre = pick(PREFIXES)
        if pre:
            add(pre.split(), 0)
        for j in range(2 if rng.random() < 0.4 else 1):
            if j:
                add(["and"], 0)
            if rng.random() < 0.15:
                add(pick(OTHERS).split(), 0)
            else:
                add(self._person(rng, amb), 1)
        vp, takes_person = pick(VPS)
        add(vp.split(), 0)
        if takes_person:
            add(self._person(rng, amb), 1)
            if vp == "gave":
                add(["a", "rose"], 0)
        suf = pick(SUFFIXES)
        if suf:
            add(suf.split(), 0)
        return toks, tags

    def sentences(self, rng, n):
        out = [self.sentence(rng) for _ in range(n)]
        return [t for t, _ in out], [g for _, g in out]

    def display_example(self) -> Batch:
        """The notes' sentence, y = 1 1 0 1 1 0 0 0 0."""
        return self.encode(NOTES_SENTENCE)

    def evaluate(self, model, rng: np.random.Generator | None = None) -> dict:
        toks, tags = self._eval_set(rng)
        p = self._probs(model, toks, tags)
        m = self._token_stats(toks, tags, p)
        amb = [(p[i, j] > 0.5) == bool(tags[i][j]) for i, t in enumerate(toks)
               for j, w in enumerate(t) if w in AMBIGUOUS]
        m["ambiguous_accuracy"] = accuracy(amb)
        m["n_sentences"] = len(toks)
        m["baselines"] = {"majority_tag": self.majority_tag(tags)}
        m["overlap"] = self.overlap()
        m["targets"] = dict(self.TARGET)
        return m

    def target_reached(self, metrics: dict) -> bool:
        return all(metrics[k] >= v for k, v in self.TARGET.items())


# -- Teddy -----------------------------------------------------------------
#: Words before "Teddy": drawn independently of the answer, so they reveal nothing.
TEDDY_BEFORE = ("", "yesterday", "i think", "my sister said", "everyone knows that", "harry told me that")
TEDDY_BEFORE_TAGS = {"harry": 1}
#: What follows "Teddy", and whether it makes "Teddy" a name. The deciding word is
#: the next one; some name sentences mention bears later ("Teddy likes bears").
TEDDY_BEAR = ("bears are on sale", "bear is soft", "bears sleep on the bed", "bear was a gift",
              "bears are cute", "bears sleep in the shop")
TEDDY_NAME = ("roosevelt was a great president", "roosevelt led the country", "is my uncle", "likes bears",
              "bought a bear", "smith sells bears", "said look", "met my sister", "found a bear", "told me that",
              "gave me a gift", "is cute")
TEDDY_NAME_TAGS = {"roosevelt": 1, "smith": 1}
#: The held-out contexts: phrases never seen around "Teddy" in training, made of words the
#: model knows from training (a word it never saw has an untrained embedding). The word
#: right after "Teddy" is one training used there: it is what decides.
TEDDY_TEST_BEFORE = ("in the shop", "look")
TEDDY_TEST_BEAR = ("bears are a gift", "bear is on sale", "bears are soft", "bear is on the bed")
TEDDY_TEST_NAME = ("roosevelt sells bears", "is a great president", "likes the country", "smith was my uncle")


@register
class Teddy(_Tagging):
    name = "teddy"
    title = "Teddy: name or bear?"
    lesson = ("Bidirectional RNN: whether \"Teddy\" is a name is decided by the words after it "
              "(\"Teddy bears are on sale\" / \"Teddy Roosevelt was a great president\"); only →a and ←a together can know.")
    defaults = {
        "p_name": 0.5,      # probability that "Teddy" is a name
        "eval_size": 1000,  # held-out sentences scored by evaluate() (half name, half bear)
        "seed": 0,          # seed of the held-out sentences
    }
    model_defaults = {**_Tagging.model_defaults, "bidirectional": True, "hidden_size": 16}
    default_steps = 300
    TARGET_BI, LIMIT_UNI = 0.99, 0.60
    proper = ("teddy",)

    def __init__(self, **options):
        super().__init__(**options)
        self.p_name = check_prob("p_name", self.options["p_name"])
        ws = [PAD, "teddy"]
        for text in TEDDY_BEFORE + TEDDY_BEAR + TEDDY_NAME + TEDDY_TEST_BEFORE + TEDDY_TEST_BEAR + TEDDY_TEST_NAME:
            ws += text.split()
        self.vocab = Vocab(ws)

    def sentence(self, rng, is_name: bool, held_out: bool = False) -> tuple[list[str], list[int]]:
        pick = lambda seq: seq[int(rng.integers(len(seq)))]  # noqa: E731
        before = pick(TEDDY_TEST_BEFORE if held_out else TEDDY_BEFORE).split()
        if held_out:
            after = pick(TEDDY_TEST_NAME if is_name else TEDDY_TEST_BEAR).split()
        else:
            after = pick(TEDDY_NAME if is_name else TEDDY_BEAR).split()
        toks = before + ["teddy"] + after
        tags = ([TEDDY_BEFORE_TAGS.get(w, 0) for w in before] + [int(is_name)]
                + [TEDDY_NAME_TAGS.get(w, 0) if is_name else 0 for w in after])
        return toks, tags

    def sentences(self, rng, n, balanced=False, held_out=False):
        out = [self.sentence(rng, (i % 2 == 1) if balanced else bool(rng.random() < self.p_name), held_out)
               for i in range(n)]
        return [t for t, _ in out], [g for _, g in out]

    def _eval_set(self, rng=None):
        """Held-out sentences from the held-out contexts, half names, fixed by ``seed``."""
        if getattr(self, "_held", None) is None:
            rng = np.random.default_rng([self.seed, 13])
            self._held = self.sentences(rng, self.eval_size, balanced=True, held_out=True)
        return self._held

    def display_example(self) -> Batch:
        return self.encode("Teddy Roosevelt was a great president")

    def _encode_words(self, low: list[str], text: str) -> Batch:
        """Targets: "Teddy" is a name unless "bear"/"bears" comes right after it."""
        tags = []
        for i, w in enumerate(low):
            if w == "teddy":
                tags.append(int(not (i + 1 < len(low) and low[i + 1] in ("bear", "bears"))))
            else:
                tags.append(int(w in ("roosevelt", "smith", "harry")))
        return tagged_batch(self.vocab, [low], [tags])

    def evaluate(self, model, rng: np.random.Generator | None = None) -> dict:
        toks, tags = self._eval_set(rng)
        p = self._probs(model, toks, tags)
        hit, is_name, other = [], [], []
        for i, t in enumerate(toks):
            for j, w in enumerate(t):
                ok = (p[i, j] > 0.5) == bool(tags[i][j])
                if w == "teddy":
                    hit.append(ok)
                    is_name.append(bool(tags[i][j]))
                else:
                    other.append(ok)
        hit, is_name = np.array(hit), np.array(is_name)
        name_share = float(np.mean(is_name))
        return {
            "teddy_accuracy": accuracy(hit),
            "teddy_name_accuracy": accuracy(hit[is_name]),
            "teddy_bear_accuracy": accuracy(hit[~is_name]),
            "other_token_accuracy": accuracy(other),
            "bidirectional": bool(model.config.bidirectional),
            "n_sentences": len(toks),
            "baselines": {"majority_tag": self.majority_tag(tags),          # every token: not a name
                          "teddy_always_name": name_share,                  # on "Teddy" only
                          "teddy_majority_tag": max(name_share, 1 - name_share)},
            "overlap": self.overlap(),
            "target": (f">= {self.TARGET_BI:.0%} (bidirectional)" if model.config.bidirectional
                       else f"<= {self.LIMIT_UNI:.0%} (unidirectional: cannot know)"),
        }

    def target_reached(self, metrics: dict) -> bool:
        """Bidirectional: ≥ 99 % on "Teddy". Unidirectional: ≤ 60 % — it cannot know."""
        if metrics["bidirectional"]:
            return metrics["teddy_accuracy"] >= self.TARGET_BI
        return metrics["teddy_accuracy"] <= self.LIMIT_UNI
