"""Issue 9, the sentence box: unknown words are read as the task's out-of-vocabulary token and
marked in place (never the whole sentence refused); what is skipped is said in one line; a
per-task format hint; the vocabulary one click away; 'reading your sequence …' always clears;
Reset and Open clear the typed text; a typed input with no known answer shows predictions only."""
import pytest
from PySide6.QtCore import Qt

from app.bridge.worker import RunSpec
from app.panels.sequence import build_rows
from rnncore.tasks import make_task
from window_helpers import laptop_window


def _window(qtbot, tmp_path, task, **model):
    win, _ = laptop_window(qtbot, tmp_path)
    qtbot.waitExposed(win)
    win.start_run(RunSpec(task=task, model={"hidden_size": 8, **model}, train={"batch_size": 8}))
    qtbot.waitUntil(lambda: win.state.trace is not None, timeout=20000)
    return win


@pytest.fixture
def window(qtbot, tmp_path):
    win = _window(qtbot, tmp_path, "agreement")
    yield win
    win.close()


def _enter(qtbot, win, text):
    box = win.time_bar.input
    box.setFocus()
    box.setText(text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def test_read_keeps_unknown_words_in_place_and_lists_what_it_skips():
    t = make_task("agreement")
    r = t.read("The cats which Hermione ate ,,, 123 €€€ were full")
    assert r.unknown == ("hermione",) and r.oov == "<pad>"
    assert r.dropped == (",,,", "123", "€€€")
    assert t.describe(r.batch)["x"] == ["the", "cats", "which", "<pad>", "ate"]
    with pytest.raises(ValueError, match="hermione"):         # encode (the CLI's) stays strict
        t.encode("The cats which Hermione ate were full")
    a = make_task("adding").read("0.3 [0.5] abc 0.1 [0.2] €")
    assert a.dropped == ("abc", "€") and a.batch.x.shape == (1, 4, 2)
    d = make_task("dates").read("26 nov 2026€")
    assert d.unknown == ("€",) and not d.target_known
    assert make_task("dates").read("26 nov 2026").target_known


def test_an_unknown_word_is_read_and_marked_in_the_strip_and_the_message(qtbot, window):
    _enter(qtbot, window, "the cats which Hermione ate ,,, 123 €€€ were full")
    msg = window.time_bar.input_message
    qtbot.waitUntil(lambda: "showing your sequence" in msg.text(), timeout=20000)
    text = msg.text()
    assert "hermione" in text and "<pad>" in text and ",,, 123 €€€" in text
    assert "\n" not in text                                  # one line
    rows, _, _ = build_rows(window.state)
    x = rows[0].cells
    odd = [c for c in x if c.odd]
    assert [c.text for c in odd] == ["hermione"] and "not in the vocabulary" in odd[0].tip
    assert [c.text for c in x] == ["the", "cats", "which", "hermione", "ate"]


def test_a_refused_text_clears_the_reading_status(qtbot, window):
    msg = window.time_bar.input_message
    assert not window.read_text(",,, €€€")                 # no word at all: said, nothing sent
    assert "reading" not in msg.text() and msg.text()
    assert window.display_input.reading is None


def test_the_hint_and_the_vocabulary_follow_the_task(qtbot, window, tmp_path):
    bar = window.time_bar
    assert "was/were" in bar.input.placeholderText()
    assert bar.vocab_button.isEnabled()
    bar.vocab_button.click()
    dialog = window.display_input.dialog
    qtbot.waitUntil(dialog.isVisible)
    tokens = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert "cats" in tokens and "<pad>" not in tokens
    dialog.list.itemClicked.emit(dialog.list.item(tokens.index("cats")))
    assert bar.input.text() == "cats"
    window.start_run(RunSpec(task="adding", model={"hidden_size": 8}, train={"batch_size": 8}))
    qtbot.waitUntil(lambda: "[0.2]" in bar.input.placeholderText(), timeout=20000)
    assert not bar.vocab_button.isEnabled()                  # numbers: no vocabulary to list
    assert not dialog.isVisible()


def test_open_clears_the_typed_text(qtbot, window, tmp_path):
    _enter(qtbot, window, "the cats were")
    msg = window.time_bar.input_message
    qtbot.waitUntil(lambda: "showing your sequence" in msg.text(), timeout=20000)
    assert window.state.typed is not None
    path = tmp_path / "run.npz"
    with qtbot.waitSignal(window.worker.replied, timeout=10000):
        window.worker.save(str(path))
    assert window.files.open_run(str(path))
    qtbot.waitUntil(lambda: window.time_bar.input.text() == "" and msg.text() == "", timeout=20000)
    assert window.state.typed is None


def test_a_typed_date_with_no_known_answer_shows_predictions_only(qtbot, tmp_path):
    win = _window(qtbot, tmp_path, "dates")
    try:
        _enter(qtbot, win, "the 5th of never")
        msg = win.time_bar.input_message
        qtbot.waitUntil(lambda: "showing your sequence" in msg.text(), timeout=20000)
        assert "prediction only" in msg.text()
        rows, _, summary = build_rows(win.state)
        names = [r.name for r in rows]
        assert not any(n.startswith("y") for n in names) and any(n.startswith("ŷ") for n in names)
        assert "right" not in summary and "0000-00-00" not in summary
        assert all(c.good is None for r in rows for c in r.cells if c is not None)
        # the decoder is fed its own greedy answer, not the stand-in: ŷ<t> is what it writes freely
        free = win.task.describe(win.state.example)["y"]
        assert [c.text for c in rows[-1].cells] == free
    finally:
        win.close()
