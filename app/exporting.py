"""Export pictures (PNG, SVG) of the dashboard or one panel, and data (CSV, .npz).

PNG: ``QWidget.grab()``, so the file shows exactly what the screen shows.
SVG: drawn through ``QSvgGenerator`` (pyqtgraph 0.14's own SVG exporter raises
with Qt 6.12, DESIGN.md "Traps"); if this PySide6 lacks QtSvg, ExportError says so.
"""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np


class ExportError(RuntimeError):
    """An export could not be written; the message says why, in words."""


def svg_available() -> bool:
    try:
        from PySide6.QtSvg import QSvgGenerator  # noqa: F401
    except ImportError:
        return False
    return True


def export_png(widget, path) -> Path:
    path = Path(path)
    pixmap = widget.grab()
    if pixmap.isNull() or not pixmap.save(str(path), "PNG"):
        raise ExportError(f"could not write the PNG file {str(path)!r}")
    return path


def export_svg(widget, path, title: str = "RNN Scope") -> Path:
    path = Path(path)
    try:
        from PySide6.QtSvg import QSvgGenerator
    except ImportError:
        raise ExportError("SVG export needs Qt's QtSvg module, which this PySide6 installation does not include; "
                          "export PNG instead (or install PySide6-Addons)") from None
    from PySide6.QtCore import QPoint, QRect, QSize
    from PySide6.QtGui import QPainter
    gen = QSvgGenerator()
    gen.setFileName(str(path))
    gen.setSize(QSize(widget.width(), widget.height()))
    gen.setViewBox(QRect(0, 0, widget.width(), widget.height()))
    gen.setTitle(title)
    painter = QPainter()
    if not painter.begin(gen):
        raise ExportError(f"could not write the SVG file {str(path)!r}")
    try:
        widget.render(painter, QPoint(0, 0))
    finally:
        painter.end()
    if not path.exists() or path.stat().st_size == 0:
        raise ExportError(f"could not write the SVG file {str(path)!r}")
    return path


def export_picture(widget, path, title: str = "RNN Scope") -> Path:
    """PNG or SVG, chosen by the file's suffix."""
    suffix = Path(path).suffix.lower()
    if suffix == ".svg":
        return export_svg(widget, path, title)
    if suffix in (".png", ""):
        return export_png(widget, Path(path).with_suffix(".png"))
    raise ExportError(f"pictures are exported as .png or .svg, got {suffix!r}")


def export_history_csv(history, path) -> Path:
    """The training history (bounded: each row may summarise several steps) as CSV."""
    path = Path(path)
    h = history.arrays()
    keys = list(h)
    try:
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(keys)
            for i in range(len(h["step"])):
                w.writerow([int(h[k][i]) if k == "step" else repr(float(h[k][i])) for k in keys])
    except OSError as e:
        raise ExportError(f"could not write {str(path)!r}: {e.strerror or e}") from None
    return path


def export_trace_npz(trace, path, example=None, tokens=None) -> Path:
    """The trace of the display example (every gate, c̃, c, a, ∂L/∂a<t>, outputs, L<t>) as .npz,
    with the same keys and layout (batch-first) as ``rnnscope trace``, written atomically."""
    if trace is None:
        raise ExportError("there is no trace to export yet: take a training step first")
    arrays = {}
    if example is not None:
        arrays["input"] = np.asarray(example.x)
        arrays["target"] = np.asarray(example.y)
    if tokens:
        arrays["tokens"] = np.array([str(t) for t in tokens])
    try:
        from rnncore.fileio import write_trace
        write_trace(path, trace, arrays, {"source": "the window's display example"})
        return Path(path)
    except (OSError, ValueError) as e:
        raise ExportError(f"could not write {str(path)!r}: {e}") from None


def export_trace_csv(trace, path, tokens=None) -> Path:
    """The trace in long form: one row per (array, t, unit) — for spreadsheets."""
    if trace is None:
        raise ExportError("there is no trace to export yet: take a training step first")
    path = Path(path)
    try:
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["array", "t", "token", "unit", "value"])
            for name, a in trace.flat().items():
                a = np.asarray(a)
                if a.ndim != 3:
                    continue
                for t in range(a.shape[0]):
                    tok = tokens[t] if tokens and t < len(tokens) else ""
                    for u in range(a.shape[2]):
                        w.writerow([name, t + 1, tok, u, repr(float(a[t, 0, u]))])
    except OSError as e:
        raise ExportError(f"could not write {str(path)!r}: {e.strerror or e}") from None
    return path
