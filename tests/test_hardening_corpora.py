"""Corpora and labelled-sequence TSV files: any bytes load completely or are refused with the
file (and line) named (tests/hardening_fixtures.py says what every refusal must pass)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hardening_fixtures import COMMON, TMP, names_file, watchdog, write  # noqa: F401 (watchdog: autouse)
from rnncore.model import Model
from rnncore.tasks.lm import LanguageModelTask
from rnncore.tasks.userdata import MAX_BYTES, DataFileError, UserLabelsTask, load_labeled_tsv, load_text_corpus


# =============================================================================
# corpora (plain text for the language model and userdata.load_text_corpus)
# =============================================================================
words = st.sampled_from(["the", "apple", "pear", "pair", "salad", "cat", "cats", "were", "é", "naïve",
                         "日本", "x1", "don't", "", " ", "\t", "\n", "\r\n", ".", "!?", "__", "<s>", "\ufeff",
                         "\u2028", "\x85", "\x0c", "\U0001f600"])
corpus_bytes = st.one_of(
    st.binary(max_size=600),                                              # random bytes
    st.text(max_size=600).map(lambda s: s.encode("utf-8", "surrogatepass")),  # any text, even lone surrogates
    st.lists(words, max_size=120).map(lambda ws: " ".join(ws).encode("utf-8")),
    st.tuples(st.lists(words, max_size=60).map(" ".join), st.binary(min_size=1, max_size=4),
              st.lists(words, max_size=60).map(" ".join)).map(               # invalid UTF-8 in the middle
        lambda t: t[0].encode() + t[1] + t[2].encode()),
    st.sampled_from([b"", b"\x00", b"\xef\xbb\xbf", b"\n\n \n", b"...!!!???", b"a\x00b", b"\xff\xfe",
                     "the apple and pear salad.".encode("utf-16")]),
)


@settings(max_examples=150, **COMMON)
@given(corpus_bytes, st.sampled_from(["char", "word"]))
def test_any_corpus_trains_or_is_refused_with_the_file_named(raw, level):
    path = write("corpus.txt", raw)
    try:
        lines = load_text_corpus(path)
    except DataFileError as e:
        names_file(e, path)
        lines = None
    try:
        task = LanguageModelTask(level=level, corpus=str(path))
    except DataFileError as e:
        names_file(e, path)
        return
    assert lines, "the language model accepted a corpus that load_text_corpus refused"
    model = Model(task.model_config(hidden_size=3, dtype="float64"), 0)
    res = model.loss_and_grads(task.batch(np.random.default_rng(0), 3))
    assert np.isfinite(res.loss)
    m = task.evaluate(model, np.random.default_rng(1))
    assert np.isfinite(m["perplexity"]) and len(m["samples"]) == 3


def test_huge_corpus_is_refused_before_it_is_read():
    path = TMP / "huge.txt"
    with open(path, "wb") as f:          # sparse: costs no disk and no time
        f.truncate(MAX_BYTES + 1)
    for load in (load_text_corpus, lambda p: LanguageModelTask(corpus=str(p)), load_labeled_tsv):
        with pytest.raises(DataFileError, match="limit") as e:
            load(path)
        names_file(e.value, path)


def test_a_directory_or_missing_file_is_refused(tmp_path):
    for p in (tmp_path, tmp_path / "nope.txt"):
        for load in (load_text_corpus, load_labeled_tsv):
            with pytest.raises(DataFileError) as e:
                load(p)
            names_file(e.value, p)


# =============================================================================
# labelled-sequence TSV files
# =============================================================================
tokens = st.lists(st.sampled_from(["harry", "potter", "the", "cat", "é", "日本", "#x", "a b"]), max_size=6)
labels = st.lists(st.sampled_from(["0", "1", "2", "B-PER", "O", "é", "#"]), max_size=7)


@st.composite
def tsv_lines(draw):
    kind = draw(st.sampled_from(["valid_tok", "valid_seq", "any", "any", "comment", "header", "blank",
                                 "bad_cols", "junk"]))
    if kind == "valid_tok":
        t = draw(tokens.filter(bool))
        return " ".join(t) + "\t" + " ".join(draw(st.sampled_from(["0", "1"])) for _ in t)
    if kind == "valid_seq":
        return " ".join(draw(tokens.filter(bool))) + "\t" + draw(st.sampled_from(["0", "1"]))
    if kind == "any":                     # ragged and unknown labels, empty columns
        return " ".join(draw(tokens)) + "\t" + " ".join(draw(labels))
    if kind == "comment":
        return "# " + draw(st.text(max_size=10)).replace("\n", " ").replace("\r", " ")
    if kind == "header":
        return "#labels" + draw(st.sampled_from(["\t", " ", "\t\t", ""])) + " ".join(draw(labels))
    if kind == "blank":
        return draw(st.sampled_from(["", " ", "\t", " \t "]))
    if kind == "bad_cols":
        return "\t".join(draw(st.lists(st.sampled_from(["a b", "0", "", "1 0"]), max_size=4)))
    return draw(st.text(max_size=30))


tsv_files = st.one_of(
    st.tuples(st.lists(tsv_lines(), max_size=14), st.sampled_from(["\n", "\r\n", "\r"]),
              st.booleans()).map(lambda t: (("\ufeff" if t[2] else "") + t[1].join(t[0])).encode("utf-8",
                                                                                               "surrogatepass")),
    st.binary(max_size=300),
)


@settings(max_examples=160, **COMMON)
@given(tsv_files, st.one_of(st.none(), st.lists(st.sampled_from(["0", "1", "2", "O"]), max_size=3)))
def test_any_tsv_loads_completely_or_is_refused_with_file_and_line(raw, allowed):
    path = write("data.tsv", raw)
    try:
        d = load_labeled_tsv(path, allowed)
    except DataFileError as e:
        names_file(e, path)
        if e.line is not None:
            assert f"line {e.line}" in str(e) and 1 <= e.line <= raw.count(b"\n") + raw.count(b"\r") + 1
        d = None
    if d is not None:       # complete and consistent
        assert len(d.tokens) == len(d.labels) == len(d.line_numbers) > 0 and len(d.label_names) >= 2
        for t, lab in zip(d.tokens, d.labels):
            assert t and all(v in d.label_names for v in (lab if d.per_token else (lab,)))
            if d.per_token:
                assert len(lab) == len(t)
    try:
        task = UserLabelsTask(path=str(path), labels=allowed)
    except DataFileError as e:
        assert d is None, f"the task refused a file the loader accepted: {e}"
        names_file(e, path)
        return
    assert d is not None
    model = Model(task.model_config(hidden_size=3, embedding_dim=0, dtype="float64"), 0)
    res = model.loss_and_grads(task.batch(np.random.default_rng(0), 4))
    assert np.isfinite(res.loss)
    assert 0.0 <= task.evaluate(model)["accuracy"] <= 1.0
    task.describe(task.display_example())
