"""The display example the user chooses (◀ ▶ random) or types, sent to the bridge for tracing.
Composed by the main window (``window.display_input``); GUI thread."""
from __future__ import annotations

import weakref

from rnncore.config import ConfigError
from rnncore.inputs import InputError


class DisplayInput:
    """Which example the dashboard traces: the i-th drawn one, or the user's sequence."""

    def __init__(self, window):
        self._window = weakref.ref(window)   # the window owns this object, not the other way round
        self.index = 0                       # the example shown (0: the task's own)
        self.reading = False                 # a typed sequence was sent and its trace has not come back
        window.worker.packet_received.connect(self._on_packet)

    def _on_packet(self, p):
        """A reset (R, a new or opened run) clears the box; the typed sequence's trace ends 'reading …'."""
        bar = self.w.time_bar
        if p.reset:
            self.reading = False
            bar.input.clear()
            bar.show_input_message("")
        elif self.reading and p.example is not None and p.trace is not None:
            self.reading = False
            bar.show_input_message("showing your sequence: every panel reads it", error=False)

    @property
    def w(self):
        return self._window()

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
        self.index = i
        w.worker.set_display(ex)
        w.time_bar.example_label.setText("the notes' example" if i == 0 and w.task else f"example {i}")
        w.time_bar.show_input_message("")

    def read_text(self, text: str) -> bool:
        """Encode what the user typed with the task's vocabulary and trace it; unknown tokens are said."""
        w, text = self.w, text.strip()
        if not text:
            return False
        if w.task is None:
            w.time_bar.show_input_message("This run has no task, so there is no vocabulary to read text with.")
            return False
        try:
            batch = w.task.encode(text)
        except (InputError, ConfigError, ValueError) as e:
            w.time_bar.show_input_message(str(e))
            w.show_message(str(e))
            return False
        except Exception as e:  # noqa: BLE001 - a task's encode bug is still only a message
            w.time_bar.show_input_message(f"Could not read that: {e}")
            return False
        w.worker.set_display(batch)
        w.time_bar.example_label.setText("your sequence")
        w.time_bar.show_input_message("reading your sequence …", error=False)
        self.reading = True
        return True
