"""The window's controls: the training toolbar and the time bar. No math, no plotting.

Both only emit signals; the main window wires them to the worker and the state.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QSlider, QToolBar, QToolButton, QWidget)

#: speed choices: label → steps per second (0 = as fast as the core goes)
#: "watch" is slow enough to follow the loss fall, fast enough to finish a lesson in a minute or two
SPEEDS = [("full speed", 0.0), ("watch (30 steps/s)", 30.0), ("100 steps/s", 100.0), ("10 steps/s", 10.0),
          ("3 steps/s", 3.0), ("1 step/s", 1.0)]

UI_PT = 12      # toolbar text: readable on a projector, compact on a laptop


def _font(pt=UI_PT, bold=False):
    f = QFont()
    f.setPointSize(pt)
    f.setBold(bold)
    return f


class LogSpinBox(QDoubleSpinBox):
    """A spin box whose arrows multiply / divide by 2 (learning rates, thresholds)."""

    def stepBy(self, steps):
        v = self.value() * (2.0 ** steps)
        self.setValue(min(max(v, self.minimum()), self.maximum()))

    def textFromValue(self, v):
        return f"{v:.4g}"

    def valueFromText(self, text):
        try:
            return float(text)
        except ValueError:
            return self.value()

    def validate(self, text, pos):
        from PySide6.QtGui import QValidator
        t = text.strip()
        if t in ("", ".", "-", "e", "1e", "1e-"):
            return QValidator.State.Intermediate, text, pos
        try:
            float(t)
        except ValueError:
            return (QValidator.State.Intermediate if t[-1] in "e-+." else QValidator.State.Invalid), text, pos
        return QValidator.State.Acceptable, text, pos


class TrainingToolbar(QToolBar):
    """Play/pause (Space), one step (S), reset (R), speed, learning rate α, clipping."""

    play_toggled = Signal(bool)
    step_requested = Signal()
    reset_requested = Signal()
    speed_changed = Signal(float)
    lr_changed = Signal(float)
    clip_changed = Signal(str, float)

    def __init__(self, parent=None):
        super().__init__("Training", parent)
        self.setObjectName("training_toolbar")
        self.setFont(_font())
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)

        self.play_action = QAction("▶ Play", self, checkable=True)
        self.play_action.setShortcut(QKeySequence(Qt.Key.Key_Space))
        self.play_action.setToolTip("Train continuously / pause (Space)")
        self.play_action.toggled.connect(self._on_play)
        self.step_action = QAction("▶| Step", self)
        self.step_action.setShortcut(QKeySequence(Qt.Key.Key_S))
        self.step_action.setToolTip("Take exactly one optimizer step (S)")
        self.step_action.triggered.connect(self.step_requested)
        self.reset_action = QAction("⟲ Reset", self)
        self.reset_action.setShortcut(QKeySequence(Qt.Key.Key_R))
        self.reset_action.setToolTip("Back to step 0 with the same initial weights and data (R)")
        self.reset_action.triggered.connect(self.reset_requested)
        for a in (self.play_action, self.step_action, self.reset_action):
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(a)
        self.addSeparator()

        self.speed = QComboBox()
        self.speed.setToolTip("Slow training down to watch each step")
        for label, _ in SPEEDS:
            self.speed.addItem(label)
        self.speed.currentIndexChanged.connect(lambda i: self.speed_changed.emit(SPEEDS[i][1]))
        self._labelled("speed", self.speed)

        self.lr = LogSpinBox()
        self.lr.setDecimals(8)
        self.lr.setRange(1e-7, 1000.0)
        self.lr.setValue(0.01)
        self.lr.setKeyboardTracking(False)
        self.lr.setToolTip("Learning rate α; changes take effect at the next step (arrows: ×2 / ÷2)")
        self.lr.valueChanged.connect(self.lr_changed)
        self._labelled("learning rate α", self.lr)

        self.clip_mode = QComboBox()
        self.clip_mode.addItems(["none", "norm", "value"])
        self.clip_mode.setToolTip("Gradient clipping: norm rescales ‖g‖ to the threshold, value clamps each entry")
        self.clip_mode.currentTextChanged.connect(self._on_clip)
        self._labelled("clip", self.clip_mode)
        self.clip_threshold = LogSpinBox()
        self.clip_threshold.setDecimals(8)
        self.clip_threshold.setRange(1e-6, 1e9)
        self.clip_threshold.setValue(5.0)
        self.clip_threshold.setKeyboardTracking(False)
        self.clip_threshold.setToolTip("Clipping threshold (arrows: ×2 / ÷2)")
        self.clip_threshold.valueChanged.connect(self._on_clip)
        self._labelled("threshold", self.clip_threshold)

    def _labelled(self, text, widget):
        label = QLabel(f" {text} ")
        label.setFont(_font())
        widget.setFont(_font())
        self.addWidget(label)
        self.addWidget(widget)

    def _on_play(self, on):
        self.play_action.setText("❚❚ Pause" if on else "▶ Play")
        self.play_toggled.emit(on)

    def _on_clip(self, *_):
        mode = self.clip_mode.currentText()
        self.clip_threshold.setEnabled(mode != "none")
        self.clip_changed.emit(mode, self.clip_threshold.value())

    # -- shown values, without echoing them back as changes --------------------------
    def show_playing(self, playing: bool):
        if self.play_action.isChecked() != playing:
            self.play_action.blockSignals(True)
            self.play_action.setChecked(playing)
            self.play_action.setText("❚❚ Pause" if playing else "▶ Play")
            self.play_action.blockSignals(False)

    def show_config(self, lr: float, clip: str, threshold: float):
        for w in (self.lr, self.clip_mode, self.clip_threshold):
            w.blockSignals(True)
        if not self.lr.hasFocus():
            self.lr.setValue(lr)
        self.clip_mode.setCurrentText(clip)
        if not self.clip_threshold.hasFocus():
            self.clip_threshold.setValue(threshold)
        self.clip_threshold.setEnabled(clip != "none")
        for w in (self.lr, self.clip_mode, self.clip_threshold):
            w.blockSignals(False)

    def set_trainable(self, ok: bool):
        for a in (self.play_action, self.step_action, self.reset_action):
            a.setEnabled(ok)


class TimeBar(QWidget):
    """The shared time cursor t, play-through-time, the example chooser and the typed-input box."""

    cursor_moved = Signal(int)
    example_requested = Signal(str)      # 'previous' | 'next' | 'random'
    text_entered = Signal(str)
    vocabulary_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("time_bar")
        self.setFont(_font())
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 2, 6, 2)

        self.play_time = QToolButton()
        self.play_time.setText("▶ t")
        self.play_time.setCheckable(True)
        self.play_time.setToolTip("Play through time: move t across the example")
        self.play_time.toggled.connect(self._on_play_time)
        row.addWidget(self.play_time)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 0)
        self.slider.setMinimumWidth(180)
        self.slider.setToolTip("Time step t shown by every panel (← → Home End)")
        self.slider.valueChanged.connect(self.cursor_moved)
        row.addWidget(self.slider, 2)
        self.t_label = QLabel("t = –")
        self.t_label.setFont(_font(UI_PT + 1, bold=True))
        self.t_label.setMinimumWidth(190)
        row.addWidget(self.t_label)

        row.addSpacing(12)
        row.addWidget(QLabel("example"))
        for text, kind, tip in (("◀", "previous", "Previous example"), ("▶", "next", "Next example"),
                                ("random", "random", "A random example")):
            b = QPushButton(text)
            b.setToolTip(tip)
            b.setMinimumWidth(40)
            b.clicked.connect(lambda _=False, k=kind: self.example_requested.emit(k))
            row.addWidget(b)
        self.example_label = QLabel("")
        self.example_label.setMinimumWidth(70)
        row.addWidget(self.example_label)

        row.addSpacing(12)
        self.input = QLineEdit()
        self.input.setPlaceholderText("type your own sequence and press Enter …")
        self.input.setClearButtonEnabled(True)
        self.input.setMinimumWidth(240)
        self.input.setToolTip("Type a sequence and press Enter; Esc (or Enter) leaves the box, so Space, S, R "
                              "and the arrows drive training and time again")
        self.input.returnPressed.connect(self._entered)
        self.input.installEventFilter(self)
        row.addWidget(self.input, 3)
        self.vocab_button = QToolButton()
        self.vocab_button.setObjectName("vocabulary")
        self.vocab_button.setText(self.tr("vocabulary"))
        self.vocab_button.setEnabled(False)
        self.vocab_button.clicked.connect(self.vocabulary_requested)
        row.addWidget(self.vocab_button)
        self.input_message = QLabel("")
        self.input_message.setObjectName("input_message")
        self.input_message.setStyleSheet("color: #c92a2a;")
        self.input_message.setWordWrap(True)
        self.input_message.setMaximumWidth(420)
        row.addWidget(self.input_message, 2)

        self._timer = QTimer(self)
        self._timer.setInterval(400)
        self._timer.timeout.connect(self._advance)

    def _entered(self):
        self.text_entered.emit(self.input.text())
        self.leave_input()

    def leave_input(self):
        """Keys act on training and time again: focus goes to the time slider (← → move t there)."""
        self.slider.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, obj, event):
        if obj is self.input and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
            self.leave_input()
            return True
        return super().eventFilter(obj, event)

    def show_cursor(self, t: int, steps: int, token: str = ""):
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(steps - 1, 0))
        self.slider.setValue(t)
        self.slider.blockSignals(False)
        if steps:
            tok = f"   x<{t + 1}> = {token}" if token else ""
            self.t_label.setText(f"t = {t + 1} / {steps}{tok}")
        else:
            self.t_label.setText("t = –")

    def show_input_message(self, text: str, error: bool = True):
        self.input_message.setStyleSheet("color: #c92a2a;" if error else "color: #2b8a3e;")
        self.input_message.setText(text)
        self.input_message.setToolTip(text)

    def _on_play_time(self, on):
        self.play_time.setText("❚❚ t" if on else "▶ t")
        self._timer.start() if on else self._timer.stop()

    def _advance(self):
        n = self.slider.maximum() + 1
        self.slider.setValue((self.slider.value() + 1) % max(n, 1))
