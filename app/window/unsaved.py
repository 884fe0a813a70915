"""The unsaved-changes question: before training that was not saved is dropped (closing the
window, a new run, opening another run) the window asks Save / Discard / Cancel.

:func:`must_ask` is the decision, with no settings and no Qt: tests call it directly. The
question is asked only when the guard is enabled: the application enables it (app/gui.py),
never for ``--screenshot``, a TERM signal or tests, which construct windows without it, so
nothing there can wait for an answer. Tests answer the dialog by replacing
:attr:`UnsavedGuard.ask`.
"""
from __future__ import annotations

import weakref

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from PySide6.QtWidgets import QMessageBox

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"
#: seconds a Save before closing waits for the training process's answer
SAVE_WAIT = 60.0


def must_ask(enabled: bool, trainable: bool, running: bool, step: int, saved_step: int) -> bool:
    """Ask only when enabled, for a run that trains, whose training moved since it was last saved
    (or opened, or started)."""
    return enabled and trainable and running and step != saved_step


def ask_dialog(window, step: int, saved_step: int, what: str) -> str:
    """Save / Discard / Cancel in a modal box; → SAVE, DISCARD or CANCEL."""
    B = QMessageBox.StandardButton
    box = QMessageBox(QMessageBox.Icon.Question, QCoreApplication.translate("UnsavedGuard", "Unsaved training"),
                      QCoreApplication.translate("UnsavedGuard", "The run is at step {step:,}; it was last saved "
                                                 "at step {saved:,}.").format(step=step, saved=saved_step),
                      B.Save | B.Discard | B.Cancel, window)
    box.setInformativeText(QCoreApplication.translate("UnsavedGuard", "Save it before you {what}?").format(what=what))
    box.setDefaultButton(B.Save)
    return {B.Save: SAVE, B.Discard: DISCARD}.get(B(box.exec()), CANCEL)


class UnsavedGuard:
    """Knows the step of the last save (or open, or start) and asks before it is lost."""

    ask = staticmethod(ask_dialog)         # (window, step, saved_step, what) → SAVE / DISCARD / CANCEL

    def __init__(self, window, enabled: bool = False):
        self._window = weakref.ref(window)
        self.enabled = enabled
        self.saved_step = 0
        window.worker.packet_received.connect(self._packet)
        window.worker.replied.connect(self._replied)

    def _packet(self, p):
        if p.reset:                          # a new run, an opened one, a reset: nothing new to lose yet
            self.saved_step = p.step

    def _replied(self, name, value):
        if name == "save" and value:
            w = self._window()
            self.saved_step = w.state.step if w is not None else self.saved_step

    def confirm(self, what: str) -> bool:
        """True: go on (nothing to lose, saved, or discarded); False: the user cancelled."""
        w = self._window()
        if w is None or not must_ask(self.enabled, w.trainable, w.worker.running, w.state.step, self.saved_step):
            return True
        answer = self.ask(w, w.state.step, self.saved_step, what)
        if answer == DISCARD:
            return True
        return answer == SAVE and self._save(w)

    def _save(self, w) -> bool:
        """Save (asking for a file when the run has none) and wait for the training process's answer."""
        path = w.run_path or w.files.ask_save_path()
        if not path:
            return False
        loop, result = QEventLoop(), []

        def replied(name, value):
            if name == "save":
                result.append(value)
                loop.quit()
        w.worker.replied.connect(replied)
        w.worker.finished.connect(loop.quit)
        QTimer.singleShot(int(SAVE_WAIT * 1000), loop.quit)
        try:
            w.worker.save(path)
            loop.exec()
        finally:
            w.worker.replied.disconnect(replied)
            w.worker.finished.disconnect(loop.quit)
        if not (result and result[0]):
            w.show_message(QCoreApplication.translate("UnsavedGuard", "The run was not saved; nothing was closed."))
            return False
        return True
