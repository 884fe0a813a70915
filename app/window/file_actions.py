"""File menu of the main window: open and save runs (recent runs, drag and drop),
import PyTorch weights, export pictures and data. Composed by app.window.main_window.MainWindow
(``window.files``): every method runs in the GUI thread and uses the window's state, worker,
settings and messages."""
from __future__ import annotations

import weakref

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QRect
from PySide6.QtWidgets import QFileDialog, QInputDialog, QTabBar

from .. import exporting
from ..bridge.worker import RunSpec
from ..panels.common import CELL_NAMES

MAX_RECENT = 8          # runs listed under File > Open recent


class FileActions:
    """Open, save, import, export, recent runs, drag and drop."""

    def __init__(self, window):
        self._window = weakref.ref(window)   # the window owns this object, not the other way round

    @property
    def w(self):
        return self._window()

    def open_run_dialog(self):
        path, _ = QFileDialog.getOpenFileName(self.w, "Open a run", self._last_dir(), "RNN Scope runs (*.npz)")
        if path:
            self.open_run(path)

    def open_run(self, path: str, loaded=None) -> bool:
        """Open a saved run (``loaded``: its contents, when already read); a bad file is said and
        changes nothing (start_run checks it first). The file is read once, here or by start_run."""
        ok = self.w.start_run(RunSpec(run_path=str(path), loaded=loaded))
        if ok:
            self._add_recent(str(path))
            self.w.show_message(f"Opened {path}")
        return ok

    def save_run(self):
        if self.w.run_path:
            self.w.worker.save(self.w.run_path)
        else:
            self.save_run_as()

    def save_run_as(self):
        if not self.w.worker.running:
            return
        path = self.ask_save_path()
        if path:
            self.w.worker.save(path)

    def ask_save_path(self) -> str | None:
        """A file to save the run to (``.npz`` added), or None if the user cancelled."""
        path, _ = QFileDialog.getSaveFileName(self.w, "Save the run", self._last_dir("run.npz"),
                                              "RNN Scope runs (*.npz)")
        if path and not path.endswith(".npz"):
            path += ".npz"
        return path or None

    def import_weights_dialog(self):
        path, _ = QFileDialog.getOpenFileName(self.w, "Import PyTorch weights", self._last_dir(),
                                              "PyTorch state_dict (*.safetensors *.npz)")
        if path:
            self.import_weights(path)

    def import_weights(self, path: str, nonlinearity: str | None = None) -> bool:
        from rnncore.torch_import import load_torch_weights
        try:
            load_torch_weights(path, nonlinearity)
        except Exception as e:  # noqa: BLE001
            if nonlinearity is None and "nonlinearity" in str(e):
                choice, ok = QInputDialog.getItem(self.w, "nn.RNN nonlinearity",
                                                  "The file holds an nn.RNN; its nonlinearity is not saved in "
                                                  "the weights. Which one was it?", ["tanh", "relu"], 0, False)
                return ok and self.import_weights(path, choice)
            self.w.show_problem(str(e))
            return False
        return self.w.start_run(RunSpec(torch_path=str(path), nonlinearity=nonlinearity))

    def _export(self, fn, *args, what="file"):
        try:
            out = fn(*args)
        except exporting.ExportError as e:
            self.w.show_problem(str(e))
            return None
        self.w.show_message(f"Exported {what} to {out}")
        return out

    def _picture_path(self, title, default):
        filters = "PNG image (*.png);;SVG drawing (*.svg)" if exporting.svg_available() else "PNG image (*.png)"
        path, _ = QFileDialog.getSaveFileName(self.w, title, self._last_dir(default), filters)
        return path

    def export_dashboard(self, path):
        """The dashboard's panels only (not the menu bar, toolbars, banner or status bar), with a caption."""
        docks = self._shown_docks()
        # Qt keeps tab bars of earlier dock layouts alive beneath the docks: the screen never shows
        # them, but grab() and render() would draw them over the panels
        stale = [t for t in self.w.findChildren(QTabBar) if t.parent() is self.w and t.isVisible()
                 and any(t.geometry().intersects(d.geometry()) for d in docks)]
        for t in stale:
            t.hide()
        try:
            return self._export(exporting.export_picture, self.w, path, "RNN Scope dashboard", self.caption(),
                                self.panels_rect(), what=QCoreApplication.translate("FileActions", "the dashboard"))
        finally:
            for t in stale:
                t.show()

    def _shown_docks(self) -> list:
        """The dashboard's docks drawn in the window now (not hidden, floating or a tab behind another)."""
        return [d for d in self.w.panel_docks
                if d.isVisible() and not d.isFloating() and not d.visibleRegion().isEmpty()]

    def panels_rect(self):
        """The window's area covered by the visible dashboard panels (window coordinates)."""
        rect = QRect()
        for dock in self._shown_docks():
            rect = rect.united(dock.geometry())
        return rect if not rect.isEmpty() else self.w.rect()

    def caption(self) -> str:
        """One line for an exported picture: task, cell, step, loss."""
        st = self.w.state
        task = getattr(st.task, "title", None) or getattr(st.task, "name", None) or QCoreApplication.translate("FileActions", "no task")
        mc = st.model_config
        cell = CELL_NAMES.get(mc.cell, mc.cell) if mc is not None else "—"
        loss = st.history.arrays()["loss"]
        loss_text = f"{float(loss[-1]):.4g}" if len(loss) else "—"
        return QCoreApplication.translate("FileActions", "{task} · {cell} · step {step:,} · loss {loss}").format(task=task, cell=cell, step=st.step,
                                                                         loss=loss_text)

    def export_dashboard_dialog(self):
        path = self._picture_path("Export the dashboard", "dashboard.png")
        if path:
            self.export_dashboard(path)

    def export_panel_dialog(self, panel):
        if not hasattr(panel, "object_id"):           # not built (yet)
            return
        path = self._picture_path(f"Export {panel.title}", f"{panel.object_id}.png")
        if path:
            self._export(exporting.export_picture, panel, path, panel.title, self.caption(), what=panel.title)

    def export_history_dialog(self):
        path, _ = QFileDialog.getSaveFileName(self.w, "Export the training history", self._last_dir("history.csv"),
                                              "CSV (*.csv)")
        if path:
            self._export(exporting.export_history_csv, self.w.state.history, path, what="the history")

    def export_trace_dialog(self, kind: str):
        path, _ = QFileDialog.getSaveFileName(self.w, "Export the trace", self._last_dir(f"trace.{kind}"),
                                              "NumPy arrays (*.npz)" if kind == "npz" else "CSV (*.csv)")
        if not path:
            return
        tokens = self._tokens()
        if kind == "npz":
            self._export(exporting.export_trace_npz, self.w.state.trace, path, self.w.state.example, tokens,
                         what="the trace")
        else:
            self._export(exporting.export_trace_csv, self.w.state.trace, path, tokens, what="the trace")

    def _tokens(self):
        try:
            return list(self.w.state.task.describe(self.w.state.example, 0).get("x", []))
        except Exception:  # noqa: BLE001
            return None

    def _last_dir(self, name: str = "") -> str:
        d = self.w.settings.value("last_dir", str(Path.home()), type=str)
        return str(Path(d) / name) if name else d

    def _add_recent(self, path: str):
        recent = [p for p in self._recent() if p != path]
        recent.insert(0, path)
        self.w.settings.setValue("recent_runs", recent[:MAX_RECENT])
        self.w.settings.setValue("last_dir", str(Path(path).parent))

    def _recent(self) -> list[str]:
        v = self.w.settings.value("recent_runs", [], type=list)
        return [str(p) for p in (v or [])]

    def fill_recent(self, menu):
        menu.clear()
        recent = self._recent()
        if not recent:
            a = menu.addAction("(none yet)")
            a.setEnabled(False)
        for p in recent:
            menu.addAction(p, lambda p=p: self.open_run(p))

    # -- drag and drop -----------------------------------------------------------------------------
    def drag_enter(self, e):
        urls = e.mimeData().urls() if e.mimeData().hasUrls() else []
        if urls and urls[0].toLocalFile().lower().endswith((".npz", ".safetensors")):
            e.acceptProposedAction()

    def drop(self, e):
        path = e.mimeData().urls()[0].toLocalFile()
        if path.lower().endswith(".safetensors"):
            self.import_weights(path)
            return
        from rnncore.runs import RunFileError, load_run
        try:
            run = load_run(path)
        except RunFileError:
            self.import_weights(path)          # an .npz of PyTorch weights, not a run
            return
        self.open_run(path, loaded=run)
