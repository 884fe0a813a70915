"""Language model (the notes' §1): P(sentence) = Π_t p(y<t> | y<1..t-1>).

Many-to-many softmax over characters or words, with an EOS token. x<1> is the
start token ``<s>`` (the notes' x<1> = 0: a one-hot token only selects a column of
W_ax, so ``<s>`` plays the zero vector's role, with its own learned column), then
x<t> = y<t-1>, the true previous token; the targets are the sentence followed by
``<eos>``. The loss is the mean over tokens, so the per-token perplexity is
exp(loss).

The bundled corpus (``rnncore/corpora/fruit_corpus.txt``, written for the project)
has a few hundred sentences about fruit, salads, cats and pairs of things: pears
are eaten in salads, pairs are of shoes and socks. After training,
P("the apple and pear salad") > P("the apple and pair salad"), as in the notes.
Option ``corpus`` loads the user's own text file instead (see ``userdata``).
"""
from __future__ import annotations

import os
import re
from collections import Counter

import numpy as np

from .. import generate as gen
from ..config import ConfigError
from ..data import Batch
from ..inputs import InputError
from .base import Task, Vocab, register
from .userdata import DataFileError, load_text_corpus

START, EOS, UNK = "<s>", "<eos>", "<unk>"
BUNDLED = os.path.join(os.path.dirname(os.path.dirname(__file__)), "corpora", "fruit_corpus.txt")
PEAR, PAIR = "the apple and pear salad", "the apple and pair salad"
MAX_VOCAB = {"char": 300, "word": 3000}   # rarer tokens of a user's corpus become <unk>
MAX_LEN = {"char": 80, "word": 20}        # longer sentences are cut into pieces of this many tokens
EVAL_SENTENCES = 1000                     # held-out sentences (every 10th) used for the perplexity, at most
#: per-token perplexity the defaults reach on the bundled corpus's held-out sentences
TARGET_PERPLEXITY = {"char": 1.45, "word": 3.5}


def normalise(text: str) -> list[str]:
    """Text → sentences: split at line ends and . ! ?, lower-case, punctuation dropped."""
    out = []
    for part in re.split(r"[.!?\n\r]+", text):
        s = re.sub(r"[^\w' ]+", " ", part.lower().replace("_", " "))
        s = " ".join(s.split())
        if s:
            out.append(s)
    return out


@register
class LanguageModelTask(Task):
    name = "lm"
    title = "Language model"
    lesson = "A language model gives each sentence a probability: 'pear salad' beats 'pair salad'; sampling shows what it learned."
    shape = "many-to-many"
    defaults = {"level": "char",      # char | word
                "corpus": None}       # path of the user's own text file; None: the bundled corpus
    model_defaults = {"cell": "lstm", "hidden_size": 64, "dtype": "float32", "loss_reduction": "mean"}
    train_defaults = {"optimizer": "adam", "lr": 0.01, "batch_size": 32, "clip": "norm", "clip_threshold": 5.0}
    default_steps = 600               # characters; words: 300 (the small corpus is overfitted after that)

    def __init__(self, **options):
        super().__init__(**options)
        level = self.options["level"]
        if level not in ("char", "word"):
            raise ConfigError(f"level must be one of char, word; got {level!r}")
        self.level = level
        if level == "word":
            self.default_steps = 300
        path = self.options["corpus"]
        if path is not None and not isinstance(path, (str, os.PathLike)):
            raise ConfigError(f"corpus must be the path of a text file, got {path!r}")
        self.bundled = path is None
        self.path = BUNDLED if path is None else os.fspath(path)
        sentences = normalise("\n".join(load_text_corpus(self.path)))
        if not sentences:
            raise DataFileError(self.path, "no words left after dropping punctuation")
        token_lists = []
        for s in sentences:
            toks = self.tokenize(s)
            n = MAX_LEN[level]
            token_lists.extend(toks[k:k + n] for k in range(0, len(toks), n))
        counts = Counter(t for toks in token_lists for t in toks)
        keep = [t for t, _ in counts.most_common(MAX_VOCAB[level])]
        base = list("abcdefghijklmnopqrstuvwxyz ") if level == "char" else []
        specials = [START, EOS] + ([UNK] if len(keep) < len(counts) else [])
        self.vocab = Vocab(specials + base + sorted(keep))
        unk = UNK in self.vocab
        self.sentences = [self.vocab.encode([t if t in self.vocab else UNK for t in toks]) if unk
                          else self.vocab.encode(toks) for toks in token_lists]
        # held out: every 10th distinct sentence; training never sees a copy of one
        n = len(self.sentences)
        keys = [tuple(s) for s in self.sentences]
        first = list(dict.fromkeys(keys))
        held = set(first[9::10]) if len(first) >= 10 else set(first)
        test, seen = [], set()
        for i, k in enumerate(keys):
            if k in held and k not in seen:
                test.append(i)
                seen.add(k)
        self.test_rows = np.array(test[:EVAL_SENTENCES], np.intp)
        self.train_rows = np.array([i for i, k in enumerate(keys) if k not in held], np.intp)
        if len(self.train_rows) == 0:          # a one-sentence corpus: train and test on it (overlap says so)
            self.train_rows = np.arange(n)
        self.start_id, self.eos_id = self.vocab.index[START], self.vocab.index[EOS]
        # a baseline that ignores context: the unigram perplexity of the training tokens (with EOS)
        c = np.bincount(np.concatenate([np.append(self.sentences[r], self.eos_id) for r in self.train_rows]),
                        minlength=len(self.vocab)).astype(float)
        p = c[c > 0] / c.sum()
        self.unigram_perplexity = float(np.exp(-(p * np.log(p)).sum()))
        self.bigram_perplexity = self._bigram_perplexity()

    def _bigram_perplexity(self) -> float:
        """A baseline with one token of context: add-one bigram counts of the training sentences,
        per-token perplexity on the held-out ones."""
        V = len(self.vocab)
        seqs = lambda rows: [np.concatenate([[self.start_id], self.sentences[r], [self.eos_id]]) for r in rows]  # noqa: E731
        counts = np.ones((V, V))
        for s in seqs(self.train_rows):
            np.add.at(counts, (s[:-1], s[1:]), 1)
        logp = np.log(counts / counts.sum(axis=1, keepdims=True))
        nll = [-logp[s[:-1], s[1:]] for s in seqs(self.test_rows)]
        return float(np.exp(np.concatenate(nll).mean()))

    def overlap(self) -> dict:
        """Held-out sentences that also occur in training, and corpus sentences that contain a scored
        minimal-pair sentence (both 0 on the bundled corpus)."""
        train = {tuple(self.sentences[r]) for r in self.train_rows}
        test = sum(tuple(self.sentences[r]) in train for r in self.test_rows)
        text = [" ".join(self.vocab.decode(s)) if self.level == "word" else "".join(self.vocab.decode(s))
                for s in self.sentences]
        pairs = sum(any(m in t for m in (PEAR, PAIR)) for t in text)
        return {"heldout_in_training": int(test), "corpus_with_minimal_pair": int(pairs)}

    # -- tokens ------------------------------------------------------------------
    def tokenize(self, sentence: str) -> list[str]:
        return list(sentence) if self.level == "char" else sentence.split()

    def detokenize(self, tokens) -> str:
        tokens = [t for t in tokens if t not in (START, EOS)]
        return "".join(tokens) if self.level == "char" else " ".join(tokens)

    def _text_ids(self, text: str) -> np.ndarray:
        s = " ".join(normalise(text))
        if not s:
            raise InputError("type a sentence (letters or words)")
        return self.vocab.encode(self.tokenize(s))

    def io_config(self) -> dict:
        V = len(self.vocab)
        return {"vocab_size": V, "input_size": 0, "shape": "many-to-many", "output": "softmax",
                "output_size": V, "target_length": 0, "bidirectional": False}

    # -- data ----------------------------------------------------------------------
    def _make(self, seqs) -> Batch:
        """x = [<s>, w1 .. wn], y = [w1 .. wn, <eos>], padded to the longest."""
        L = np.array([len(s) + 1 for s in seqs])
        T = int(L.max())
        x = np.zeros((len(seqs), T), np.intp)
        y = np.zeros((len(seqs), T), np.intp)
        for i, s in enumerate(seqs):
            x[i, 0] = self.start_id
            x[i, 1:L[i]] = s
            y[i, :L[i] - 1] = s
            y[i, L[i] - 1] = self.eos_id
        return Batch(x, y, L)

    def batch(self, rng: np.random.Generator, size: int) -> Batch:
        rows = self.train_rows[rng.integers(0, len(self.train_rows), size)]
        return self._make([self.sentences[r] for r in rows])

    def display_example(self) -> Batch:
        try:
            return self.encode(PEAR)
        except InputError:
            return self._make([self.sentences[0]])

    def describe(self, batch: Batch, i: int = 0) -> dict:
        n = int(batch.x_lengths[i]) if batch.x_lengths is not None else np.asarray(batch.x).shape[1]
        return {"x": self.vocab.decode(np.asarray(batch.x)[i, :n]),
                "y": self.vocab.decode(np.asarray(batch.y)[i, :n])}

    def encode(self, text: str) -> Batch:
        return self._make([self._text_ids(text)])

    # -- using a trained model -------------------------------------------------------
    def score(self, model, text: str) -> dict:
        """log P(text) (natural log): per token (EOS included) and total."""
        b = self.encode(text)
        lp, total = gen.score(model, b.x[0], b.y[0])
        return {"tokens": self.vocab.decode(b.y[0]), "log_probs": [float(v) for v in lp], "total": total}

    def sample(self, model, rng: np.random.Generator, temperature: float = 1.0, n: int = 1,
               max_len: int | None = None, prefix: str = "") -> list[str]:
        """n sampled sentences: sample, feed back, until <eos> or ``max_len`` tokens."""
        pre = self._text_ids(prefix) if prefix.strip() else np.zeros(0, np.intp)
        if self.level == "char" and prefix.strip():
            pre = np.append(pre, self.vocab.index[" "]) if prefix.endswith(" ") else pre
        out = gen.sample_tokens(model, self.start_id, eos_id=self.eos_id, max_len=max_len or 2 * MAX_LEN[self.level],
                                temperature=temperature, rng=rng, n=n, prefix=pre)
        head = self.vocab.decode(pre)
        return [self.detokenize(head + self.vocab.decode(ids)) for ids in out]

    # -- metrics -----------------------------------------------------------------
    def perplexity(self, model, rows=None) -> float:
        rows = self.test_rows if rows is None else rows
        nll = count = 0.0
        for k in range(0, len(rows), 256):
            b = self._make([self.sentences[r] for r in rows[k:k + 256]])
            lp = gen.log_probs(model, b.x, b.y, b.x_lengths)
            m = np.arange(lp.shape[1])[None] < b.x_lengths[:, None]
            nll -= float(lp[m].sum())
            count += float(m.sum())
        return float(np.exp(nll / count))

    def evaluate(self, model, rng: np.random.Generator | None = None) -> dict:
        rng = np.random.default_rng(7) if rng is None else rng
        ov = self.overlap()
        out = {"perplexity": self.perplexity(model), "unigram_perplexity": self.unigram_perplexity,
               "level": self.level,
               "baselines": {"unigram_perplexity": self.unigram_perplexity,
                             "bigram_perplexity": self.bigram_perplexity},
               "overlap": sum(ov.values()), "overlap_detail": ov}
        try:
            pear, pair = self.score(model, PEAR)["total"], self.score(model, PAIR)["total"]
            out.update(log_p_pear=pear, log_p_pair=pair, pear_beats_pair=pear > pair)
        except InputError:           # a user's corpus may not have these words: no pear/pair check
            pass
        out["samples"] = self.sample(model, rng, temperature=1.0, n=3)
        return out

    def target_reached(self, metrics: dict) -> bool:
        """Bundled corpus: P(pear salad) > P(pair salad) and held-out perplexity at most
        1.45 per character / 3.5 per word. A user's corpus: perplexity below 70 % of the
        unigram perplexity (the model uses context)."""
        if self.bundled:
            return bool(metrics["pear_beats_pair"]) and metrics["perplexity"] <= TARGET_PERPLEXITY[self.level]
        return metrics["perplexity"] < 0.7 * metrics["unigram_perplexity"]
