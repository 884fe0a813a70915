"""The window's controls: the training toolbar and the time bar. No math, no plotting.

Both only emit signals; the main window wires them to the worker and the state.
"""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QSlider, QToolBar, QToolButton, QWidget)

#: speed choices: label → steps per second (0 = as fast as the core goes)
#: "watch" is slow enough to follow the loss fall, fast enough to finish a lesson in a minute or two
#: (labels are translated when shown: QT_TRANSLATE_NOOP only marks them for pyside6-lupdate)
SPEEDS = [(QT_TRANSLATE_NOOP("TrainingToolbar", "full speed"), 0.0),
          (QT_TRANSLATE_NOOP("TrainingToolbar", "watch (30 steps/s)"), 30.0),
          (QT_TRANSLATE_NOOP("TrainingToolbar", "100 steps/s"), 100.0),
          (QT_TRANSLATE_NOOP("TrainingToolbar", "10 steps/s"), 10.0),
          (QT_TRANSLATE_NOOP("TrainingToolbar", "3 steps/s"), 3.0),
          (QT_TRANSLATE_NOOP("TrainingToolbar", "1 step/s"), 1.0)]
CLIP_MODES = ("none", "norm", "value")

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
        super().__init__(parent)
        self.setObjectName("training_toolbar")
        self.setFont(_font())
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)

        self.play_action = QAction(self, checkable=True)
        self.play_action.setShortcut(QKeySequence(Qt.Key.Key_Space))
        self.play_action.toggled.connect(self._on_play)
        self.step_action = QAction(self)
        self.step_action.setShortcut(QKeySequence(Qt.Key.Key_S))
        self.step_action.triggered.connect(self.step_requested)
        self.reset_action = QAction(self)
        self.reset_action.setShortcut(QKeySequence(Qt.Key.Key_R))
        self.reset_action.triggered.connect(self.reset_requested)
        for a in (self.play_action, self.step_action, self.reset_action):
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(a)
        self.addSeparator()

        self.labels = {}
        self.speed = QComboBox()
        for _ in SPEEDS:
            self.speed.addItem("")
        self.speed.currentIndexChanged.connect(lambda i: self.speed_changed.emit(SPEEDS[i][1]))
        self._labelled("speed", self.speed)

        self.lr = LogSpinBox()
        self.lr.setDecimals(8)
        self.lr.setRange(1e-7, 1000.0)
        self.lr.setValue(0.01)
        self.lr.setKeyboardTracking(False)
        self.lr.valueChanged.connect(self.lr_changed)
        self._labelled("lr", self.lr)

        self.clip_mode = QComboBox()
        for mode in CLIP_MODES:
            self.clip_mode.addItem("", mode)
        self.clip_mode.currentIndexChanged.connect(self._on_clip)
        self._labelled("clip", self.clip_mode)
        self.clip_threshold = LogSpinBox()
        self.clip_threshold.setDecimals(8)
        self.clip_threshold.setRange(1e-6, 1e9)
        self.clip_threshold.setValue(5.0)
        self.clip_threshold.setKeyboardTracking(False)
        self.clip_threshold.valueChanged.connect(self._on_clip)
        self._labelled("threshold", self.clip_threshold)
        self.retranslate()

    def retranslate(self):
        """Every text in the interface's language (again after View › Language)."""
        self.setWindowTitle(self.tr("Training"))
        self._on_play_text(self.play_action.isChecked())
        self.play_action.setToolTip(self.tr("Train continuously / pause (Space)"))
        self.step_action.setText(self.tr("▶| Step"))
        self.step_action.setToolTip(self.tr("Take exactly one optimizer step (S)"))
        self.reset_action.setText(self.tr("⟲ Reset"))
        self.reset_action.setToolTip(self.tr("Back to step 0 with the same initial weights and data (R)"))
        self.speed.setToolTip(self.tr("Slow training down to watch each step"))
        for i, (label, _) in enumerate(SPEEDS):
            self.speed.setItemText(i, QCoreApplication.translate("TrainingToolbar", label))
        self.lr.setToolTip(self.tr("Learning rate α; changes take effect at the next step (arrows: ×2 / ÷2)"))
        for i, text in enumerate((self.tr("none"), self.tr("norm"), self.tr("value"))):
            self.clip_mode.setItemText(i, text)
        self.clip_mode.setToolTip(self.tr("Gradient clipping: norm rescales ‖g‖ to the threshold, "
                                          "value clamps each entry"))
        self.clip_threshold.setToolTip(self.tr("Clipping threshold (arrows: ×2 / ÷2)"))
        for key, text in (("speed", self.tr("speed")), ("lr", self.tr("learning rate α")), ("clip", self.tr("clip")),
                          ("threshold", self.tr("threshold"))):
            self.labels[key].setText(f" {text} ")

    def changeEvent(self, e):
        super().changeEvent(e)
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    def _labelled(self, key, widget):
        label = QLabel()
        self.labels[key] = label
        label.setFont(_font())
        widget.setFont(_font())
        self.addWidget(label)
        self.addWidget(widget)

    def _on_play(self, on):
        self._on_play_text(on)
        self.play_toggled.emit(on)

    def _on_play_text(self, on):
        self.play_action.setText(self.tr("❚❚ Pause") if on else self.tr("▶ Play"))

    def clip(self) -> str:
        """The clipping mode chosen (none | norm | value), whatever the language shows."""
        return self.clip_mode.currentData() or "none"

    def _on_clip(self, *_):
        mode = self.clip()
        self.clip_threshold.setEnabled(mode != "none")
        self.clip_changed.emit(mode, self.clip_threshold.value())

    # -- shown values, without echoing them back as changes --------------------------
    def show_playing(self, playing: bool):
        if self.play_action.isChecked() != playing:
            self.play_action.blockSignals(True)
            self.play_action.setChecked(playing)
            self._on_play_text(playing)
            self.play_action.blockSignals(False)

    def show_config(self, lr: float, clip: str, threshold: float):
        for w in (self.lr, self.clip_mode, self.clip_threshold):
            w.blockSignals(True)
        if not self.lr.hasFocus():
            self.lr.setValue(lr)
        self.clip_mode.setCurrentIndex(max(self.clip_mode.findData(clip), 0))
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
        self.play_time.toggled.connect(self._on_play_time)
        row.addWidget(self.play_time)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 0)
        self.slider.setMinimumWidth(180)
        self.slider.valueChanged.connect(self.cursor_moved)
        row.addWidget(self.slider, 2)
        self.t_label = QLabel("t = –")
        self.t_label.setFont(_font(UI_PT + 1, bold=True))
        self.t_label.setMinimumWidth(190)
        row.addWidget(self.t_label)

        row.addSpacing(12)
        self.example_word = QLabel()
        row.addWidget(self.example_word)
        self.example_buttons = {}
        for text, kind in (("◀", "previous"), ("▶", "next"), ("", "random")):
            b = QPushButton(text)
            b.setMinimumWidth(40)
            b.clicked.connect(lambda _=False, k=kind: self.example_requested.emit(k))
            row.addWidget(b)
            self.example_buttons[kind] = b
        self.example_label = QLabel("")
        self.example_label.setMinimumWidth(70)
        row.addWidget(self.example_label)

        row.addSpacing(12)
        self.input = QLineEdit()
        self.input.setClearButtonEnabled(True)
        self.input.setMinimumWidth(240)
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
        self.retranslate()

    def retranslate(self):
        """Every text in the interface's language (again after View › Language)."""
        self.play_time.setToolTip(self.tr("Play through time: move t across the example"))
        self.slider.setToolTip(self.tr("Time step t shown by every panel (← → Home End)"))
        self.example_word.setText(self.tr("example"))
        b = self.example_buttons
        b["previous"].setToolTip(self.tr("Previous example"))
        b["next"].setToolTip(self.tr("Next example"))
        b["random"].setText(self.tr("random"))
        b["random"].setToolTip(self.tr("A random example"))
        generic = getattr(self, "_generic_hint", "")
        self._generic_hint = self.tr("type your own sequence and press Enter …")
        if self.input.placeholderText() in ("", generic):       # a task's own hint stays (set per run)
            self.input.setPlaceholderText(self._generic_hint)
        if hasattr(self, "vocab_button"):                       # the task's tokens (issue 9a)
            self.vocab_button.setText(self.tr("vocabulary"))
        self.input.setToolTip(self.tr("Type a sequence and press Enter; Esc (or Enter) leaves the box, so Space, "
                                      "S, R and the arrows drive training and time again"))

    def changeEvent(self, e):
        super().changeEvent(e)
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()

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
