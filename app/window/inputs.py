"""The display example the user chooses (◀ ▶ random) or types, sent to the bridge for tracing.
Composed by the main window (``window.display_input``); GUI thread.

The sentence box reads leniently (``Task.read``): a word the vocabulary lacks is read as the
task's out-of-vocabulary token in place and named, skipped pieces are named, in one line; the
box's placeholder says the task's format; the ``vocabulary`` button lists the tokens."""
from __future__ import annotations

import weakref

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialog, QLabel, QListWidget, QListView, QVBoxLayout

from rnncore.config import ConfigError
from rnncore.examples import fed_its_own_answer
from rnncore.inputs import InputError


def _tr(text: str) -> str:
    return QCoreApplication.translate("DisplayInput", text)


def format_hint(task) -> str:
    """The sentence box's placeholder: what to type for ``task`` (one line)."""
    name = getattr(task, "name", "")
    if name == "melody":
        return QCoreApplication.translate(
            "DisplayInput", "a style ({styles}), then {n} notes or none: arpeggio C4 E4 G4 …").format(
            styles=", ".join(task.styles), n=task.T)
    hints = {
        "agreement": QCoreApplication.translate("DisplayInput", "a sentence; its first was/were is the verb: "
                                                "the keys to the cabinet were"),
        "sentiment": QCoreApplication.translate("DisplayInput", "a review: the movie was not bad at all"),
        "names": QCoreApplication.translate("DisplayInput", "a sentence; capitals mark names: Rose found the old book"),
        "teddy": QCoreApplication.translate("DisplayInput", "a sentence with Teddy: Teddy bears are soft"),
        "dates": QCoreApplication.translate("DisplayInput", "a date: 26 nov 2026, november 26, 2026, 26/11/2026, "
                                            "26.11.2026"),
        "adding": QCoreApplication.translate("DisplayInput", "numbers, the two to add in brackets: "
                                             "0.3 [0.5] 0.1 [0.2] 0.9"),
        "exploding": QCoreApplication.translate("DisplayInput", "numbers separated by spaces: 1 0.5 -2 3"),
        "code": QCoreApplication.translate("DisplayInput", "any code: def f(x):"),
    }
    return hints.get(name) or QCoreApplication.translate("DisplayInput", "type your own sequence and press Enter …")


def reading_notes(reading) -> str:
    """One line on what the box did with the text beyond encoding it ('' when nothing)."""
    notes = []
    if reading.unknown:
        shown = ", ".join(dict.fromkeys(reading.unknown))
        if reading.oov == "<unk>":
            notes.append(_tr("not in the vocabulary, read as <unk>: {words}").format(words=shown))
        else:
            notes.append(_tr("not in the vocabulary, read as {oov} (this task has no <unk>): {words}").format(
                oov=reading.oov, words=shown))
    if reading.dropped:
        notes.append(_tr("skipped: {pieces}").format(pieces=" ".join(reading.dropped)))
    if not reading.target_known:
        notes.append(_tr("no known answer for this input: the panels show the model's prediction only"))
    return " · ".join(notes)


class VocabularyDialog(QDialog):
    """The task's tokens in a grid; a click adds one to the sentence box."""

    def __init__(self, tokens, box, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Vocabulary ({n} tokens)").format(n=len(tokens)))
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("Click a token to add it to the box. Other words are read as the "
                                     "out-of-vocabulary token and named.")))
        self.list = QListWidget()
        self.list.setViewMode(QListView.ViewMode.IconMode)       # a grid that flows with the width
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setSpacing(4)
        self.list.addItems(["␣" if t == " " else t for t in tokens])
        self.list.itemClicked.connect(lambda item: self._add(box, item.text()))
        lay.addWidget(self.list)
        self.resize(460, 320)

    @staticmethod
    def _add(box, token):
        text = box.text()
        char = len(token) == 1 or token == "␣"
        token = " " if token == "␣" else token
        box.setText(text + token if char or not text or text.endswith(" ") else f"{text} {token}")


class DisplayInput:
    """Which example the dashboard traces: the i-th drawn one, or the user's sequence."""

    def __init__(self, window):
        self._window = weakref.ref(window)   # the window owns this object, not the other way round
        self.index = 0                       # the example shown (0: the task's own)
        self.reading = None                  # the typed Reading sent whose trace has not come back
        self.notes = ""                      # what the box says about the typed sequence beyond 'showing'
        self.dialog = None
        window.worker.packet_received.connect(self._on_packet)
        window.worker.failed.connect(self._on_failed)
        window.state.run_changed.connect(self.show_task)

    @property
    def w(self):
        return self._window()

    def show_task(self):
        """The box's format hint and the vocabulary button follow the run's task."""
        w = self.w
        if w is None or getattr(w, "time_bar", None) is None:
            return
        task, box, button = w.state.task, w.time_bar.input, w.time_bar.vocab_button
        box.setPlaceholderText(format_hint(task))
        tokens = task.input_tokens() if task is not None else None
        button.setEnabled(bool(tokens))
        button.setToolTip(_tr("The {n} tokens this task reads").format(n=len(tokens)) if tokens else
                          _tr("This task reads numbers, not tokens"))
        if self.dialog is not None:
            self.dialog.close()
            self.dialog = None

    def show_vocabulary(self):
        w = self.w
        tokens = w.state.task.input_tokens() if w.state.task is not None else None
        if not tokens:
            return
        if self.dialog is None:
            self.dialog = VocabularyDialog(tokens, w.time_bar.input, w)
        self.dialog.show()
        self.dialog.raise_()

    def _on_packet(self, p):
        """A reset (R, a new or opened run) clears the box; the typed sequence's trace ends 'reading …'."""
        bar, st = self.w.time_bar, self.w.state
        if p.reset:
            self.reading, self.notes, st.typed = None, "", None
            bar.input.clear()
            bar.show_input_message("")
        elif self.reading is not None and p.example is not None:
            reading, self.reading = self.reading, None
            if p.trace is None:
                bar.show_input_message(_tr("Could not trace your sequence: the model cannot read it."))
                return
            st.typed = reading
            text = _tr("showing your sequence: every panel reads it")
            bar.show_input_message(f"{text} · {self.notes}" if self.notes else text, error=False)

    def _on_failed(self, *_):
        if self.reading is not None:
            self.reading = None
            self.w.time_bar.show_input_message("")

    def choose(self, kind: str):
        """Previous / next / random example (drawn by rnncore.examples, always the same i)."""
        w = self.w
        if w.model_config is None:
            return
        i = w.examples.index(self.index, kind)
        try:
            ex = w.examples.get(i)
        except Exception as e:  # noqa: BLE001
            w.show_message(f"Could not draw an example: {e}")
            return
        if ex is None:
            return
        self.index, self.reading, w.state.typed = i, None, None
        w.worker.set_display(ex)
        w.time_bar.example_label.setText("the notes' example" if i == 0 and w.task else f"example {i}")
        w.time_bar.show_input_message("")

    def read_text(self, text: str) -> bool:
        """Read what the user typed with the task's vocabulary (``Task.read``) and trace it; what was
        read as out-of-vocabulary or skipped is said in one line."""
        w, text = self.w, text.strip()
        if not text:
            return False
        bar = w.time_bar
        if w.task is None:
            bar.show_input_message("This run has no task, so there is no vocabulary to read text with.")
            return False
        try:
            reading = w.task.read(text)
        except (InputError, ConfigError, ValueError) as e:
            self.reading = None
            bar.show_input_message(str(e))
            w.show_message(str(e))
            return False
        except Exception as e:  # noqa: BLE001 - a task's encode bug is still only a message
            self.reading = None
            bar.show_input_message(f"Could not read that: {e}")
            return False
        try:
            reading = fed_its_own_answer(w.state.current_model(), reading)
        except Exception:  # noqa: BLE001 - without it the decoder is fed the stand-in, and says so
            pass
        w.worker.set_display(reading.batch)
        bar.example_label.setText("your sequence")
        self.notes = reading_notes(reading)
        status = _tr("reading your sequence …")
        bar.show_input_message(f"{status} · {self.notes}" if self.notes else status, error=False)
        self.reading = reading
        return True
