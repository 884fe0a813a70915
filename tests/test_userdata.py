"""The user's own files: every malformed input gets a DataFileError naming the
file and the line; good files load completely."""
import numpy as np
import pytest

from rnncore.tasks import make_task
from rnncore.tasks import userdata as ud
from rnncore.tasks.userdata import DataFileError, load_labeled_tsv, load_text_corpus


def write(tmp_path, content, name="data.tsv"):
    p = tmp_path / name
    if isinstance(content, str):
        p.write_text(content, encoding="utf-8")
    else:
        p.write_bytes(content)
    return p


def expect(path, match, line=None, loader=load_labeled_tsv, **kw):
    with pytest.raises(DataFileError, match=match) as e:
        loader(path, **kw)
    assert isinstance(e.value, ValueError)
    assert str(path) in str(e.value)
    assert e.value.line == line
    if line is not None:
        assert f"line {line}" in str(e.value)
    return e.value


# -- good files ------------------------------------------------------------------
def test_per_token_file_loads(tmp_path):
    p = write(tmp_path, "# a comment\n#labels\t0 1\nharry potter ran\t1 1 0\n\nthe cat\t0 0\n")
    d = load_labeled_tsv(p)
    assert d.per_token and d.label_names == ("0", "1")
    assert d.tokens == (("harry", "potter", "ran"), ("the", "cat"))
    assert d.labels == (("1", "1", "0"), ("0", "0"))
    assert d.line_numbers == (3, 5)


def test_per_sequence_file_loads_with_bom_and_crlf(tmp_path):
    p = write(tmp_path, "\ufeffnot good at all\tneg\r\nvery good\tpos\r\nfine\tpos\r\n".encode("utf-8"))
    d = load_labeled_tsv(p)
    assert not d.per_token
    assert d.labels == ("neg", "pos", "pos") and d.label_names == ("neg", "pos")


def test_text_corpus_loads_non_blank_lines(tmp_path):
    p = write(tmp_path, "The pear salad.\n\n  \nCats sleep!\n", "c.txt")
    assert load_text_corpus(p) == ["The pear salad.", "Cats sleep!"]


# -- every error path -------------------------------------------------------------
@pytest.mark.parametrize("loader", [load_labeled_tsv, load_text_corpus])
def test_empty_file(tmp_path, loader):
    expect(write(tmp_path, ""), "empty", loader=loader)


@pytest.mark.parametrize("loader", [load_labeled_tsv, load_text_corpus])
def test_blank_lines_only(tmp_path, loader):
    expect(write(tmp_path, "\n  \n\t\n"), "no text", loader=loader)


def test_comments_only(tmp_path):
    expect(write(tmp_path, "# nothing\n#labels\ta b\n"), "no sequences")


@pytest.mark.parametrize("loader", [load_labeled_tsv, load_text_corpus])
def test_binary_file(tmp_path, loader):
    expect(write(tmp_path, b"ok line\tx\n\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "binary", line=4, loader=loader)


@pytest.mark.parametrize("loader", [load_labeled_tsv, load_text_corpus])
def test_invalid_utf8(tmp_path, loader):
    e = expect(write(tmp_path, "a b\t0 1\nc d\t1 0\ncaf".encode() + b"\xe9 ok\t0 1\n"), "not valid UTF-8", line=3,
               loader=loader)
    assert "0xe9" in str(e)


def test_too_big(tmp_path, monkeypatch):
    monkeypatch.setattr(ud, "MAX_BYTES", 64)
    expect(write(tmp_path, "a b\t0 1\n" * 20), "limit")


def test_missing_file_and_directory(tmp_path):
    expect(tmp_path / "nope.tsv", "no such file")
    expect(tmp_path, "not a regular file")


def test_ragged_labels(tmp_path):
    expect(write(tmp_path, "a b c\t0 1 0\nd e f\t0 1\n"), r"ragged labels: 3 tokens but 2 labels", line=2)


def test_ragged_kind_mismatch(tmp_path):
    e = expect(write(tmp_path, "a b c\t0 1 0\nd e\t1\n"), "ragged labels", line=2)
    assert "line 1" in str(e) and "one label per token" in str(e)
    expect(write(tmp_path, "a b c\tpos\nd e\tpos neg\n"), "one label per line", line=2)


def test_unknown_label_from_header(tmp_path):
    e = expect(write(tmp_path, "#labels\tO NAME\nharry ran\tNAME O\nanna sat\tNAME X\n"), "unknown label", line=3)
    assert "'X'" in str(e) and "O NAME" in str(e)


def test_unknown_label_from_caller(tmp_path):
    expect(write(tmp_path, "a b\t0 1\nc d\t1 2\n"), "unknown label.*'2'", line=2, allowed_labels=[0, 1])


def test_no_tab_and_too_many_tabs(tmp_path):
    expect(write(tmp_path, "a b 0 1\n"), "found 1 column", line=1)
    expect(write(tmp_path, "a b\t0 1\nc\td\t1\n"), "found 3 columns", line=2)


def test_no_tokens_and_no_labels(tmp_path):
    expect(write(tmp_path, "a\t0\n \t1\n"), "no tokens", line=2)
    expect(write(tmp_path, "a\t0\nb\t \n"), "no labels", line=2)


def test_single_label_value(tmp_path):
    expect(write(tmp_path, "a b\t0 0\nc\t0\n"), "at least two different label values")


def test_header_after_data_and_empty_header(tmp_path):
    expect(write(tmp_path, "a b\t0 1\n#labels\t0 1\n"), "before the first sequence", line=2)
    expect(write(tmp_path, "#labels\n"), "needs values", line=1)


def test_too_many_tokens(tmp_path, monkeypatch):
    monkeypatch.setattr(ud, "MAX_TOKENS", 3)
    expect(write(tmp_path, "a b\t0 1\na b c d\t0\n"), "at most 3", line=2)


# -- tasks on user files: all or nothing -------------------------------------------
def test_user_labels_task_on_a_per_sequence_file(tmp_path):
    p = write(tmp_path, "".join(f"{w} good\tpos\nnot {w} good\tneg\n" for w in "abcdefgh"))
    t = make_task("user-labels", path=str(p))
    assert t.shape == "many-to-one"
    cfg = t.model_config()
    assert cfg.shape == "many-to-one" and cfg.output_size == 2 and not cfg.bidirectional
    b = t.batch(np.random.default_rng(0), 5)
    assert b.y.shape == (5,)
    assert t.describe(t.encode("not a good"))["x"] == ["not", "a", "good"]
    from rnncore.inputs import InputError
    with pytest.raises(InputError, match="'bad'"):
        t.encode("a bad good")


def test_bundled_example_trains_quickly():
    from rnncore import Model
    from rnncore.trainer import Trainer
    t = make_task("user-labels")
    m = Model(t.model_config(), np.random.default_rng([0, 0]))
    for _ in Trainer(m, t, t.train_config()).run(150):
        pass
    assert t.target_reached(t.evaluate(m))


def test_bad_file_creates_no_task(tmp_path):
    p = write(tmp_path, b"\x00\x01binary")
    with pytest.raises(DataFileError):
        make_task("user-labels", path=str(p))
    with pytest.raises(DataFileError, match="binary"):
        make_task("lm", corpus=str(p))


def test_lm_on_a_user_corpus(tmp_path):
    p = write(tmp_path, "Le chat dort. Le chien mange!\nLe chat mange.\n", "fr.txt")
    t = make_task("lm", corpus=str(p), level="word")
    assert {"le", "chat", "dort", "chien", "mange"} <= set(t.vocab.tokens)
    assert len(t.sentences) == 3
    b = t.encode("le chat mange")
    assert t.describe(b)["y"] == ["le", "chat", "mange", "<eos>"]


def test_lm_corpus_of_punctuation_only(tmp_path):
    p = write(tmp_path, "... !!! ???\n", "p.txt")
    with pytest.raises(DataFileError, match="no words"):
        make_task("lm", corpus=str(p))


def test_line_numbers_count_newlines_only(tmp_path):
    """str.splitlines() would also break at \\x1e, \\x85, \\u2028: messages must name the line an editor shows."""
    p = tmp_path / "d.tsv"
    p.write_bytes(b"harry\t1\n# a comment with \x1e inside\nnot a tab line\n")
    with pytest.raises(DataFileError) as e:
        load_labeled_tsv(p)
    assert e.value.line == 3


def test_repeated_allowed_labels_count_once(tmp_path):
    p = tmp_path / "d.tsv"
    p.write_text("harry\t1\npotter\t1\n")
    with pytest.raises(DataFileError, match="at least two different label values"):
        load_labeled_tsv(p, allowed_labels=["1", "1"])
