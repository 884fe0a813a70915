"""Export pictures (PNG, SVG) of the dashboard or one panel, and data (CSV, .npz).

PNG: ``QWidget.grab()``, so the file shows exactly what the screen shows. The dashboard is
exported as the area of its panels only (no menu bar, toolbars, banner or status bar), with a
caption line (task, cell, step, loss) drawn above it.
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


#: height in pixels of the caption line drawn above an exported picture
CAPTION_HEIGHT = 28


def _area(widget, rect):
    from PySide6.QtCore import QRect
    return QRect(rect) if rect is not None else widget.rect()


def _draw_caption(painter, width: int, caption: str) -> None:
    """The caption line (task, cell, step, loss) on a plain background, left-aligned."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QFont
    from app import theme
    painter.fillRect(QRect(0, 0, width, CAPTION_HEIGHT), QColor(theme.BACKGROUND))
    font = QFont(painter.font())
    font.setPixelSize(15)
    painter.setFont(font)
    painter.setPen(QColor(theme.FOREGROUND))
    painter.drawText(QRect(8, 0, width - 16, CAPTION_HEIGHT),
                     int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), caption)


def export_png(widget, path, caption: str | None = None, rect=None) -> Path:
    """``rect`` of ``widget`` (all of it by default) as drawn on screen, with ``caption`` drawn above it."""
    from PySide6.QtGui import QColor, QImage, QPainter
    path = Path(path)
    area = _area(widget, rect)
    pixmap = widget.grab(area)
    if pixmap.isNull():
        raise ExportError(f"could not write the PNG file {str(path)!r}")
    image = pixmap.toImage()
    if caption:
        from PySide6.QtCore import QRect
        out = QImage(area.width(), area.height() + CAPTION_HEIGHT, QImage.Format.Format_RGB32)
        out.fill(QColor("white"))
        painter = QPainter(out)
        _draw_caption(painter, out.width(), caption)
        painter.drawPixmap(QRect(0, CAPTION_HEIGHT, area.width(), area.height()), pixmap)
        painter.end()
        image = out
    if not image.save(str(path), "PNG"):
        raise ExportError(f"could not write the PNG file {str(path)!r}")
    return path


def export_svg(widget, path, title: str = "RNN Scope", caption: str | None = None, rect=None) -> Path:
    """``rect`` of ``widget`` (all of it by default) as an SVG drawing, with ``caption`` as text above it."""
    path = Path(path)
    try:
        from PySide6.QtSvg import QSvgGenerator
    except ImportError:
        raise ExportError("SVG export needs Qt's QtSvg module, which this PySide6 installation does not include; "
                          "export PNG instead (or install PySide6-Addons)") from None
    from PySide6.QtCore import QPoint, QRect, QSize
    from PySide6.QtGui import QPainter, QRegion
    area = _area(widget, rect)
    top = CAPTION_HEIGHT if caption else 0
    gen = QSvgGenerator()
    gen.setFileName(str(path))
    gen.setSize(QSize(area.width(), area.height() + top))
    gen.setViewBox(QRect(0, 0, area.width(), area.height() + top))
    gen.setTitle(title)
    if caption:
        gen.setDescription(caption)
    painter = QPainter()
    if not painter.begin(gen):
        raise ExportError(f"could not write the SVG file {str(path)!r}")
    try:
        if caption:
            _draw_caption(painter, area.width(), caption)
        widget.render(painter, QPoint(0, top), QRegion(area))
    finally:
        painter.end()
    if not path.exists() or path.stat().st_size == 0:
        raise ExportError(f"could not write the SVG file {str(path)!r}")
    return path


def export_picture(widget, path, title: str = "RNN Scope", caption: str | None = None, rect=None) -> Path:
    """PNG or SVG, chosen by the file's suffix: ``rect`` of ``widget`` (default: all of it) with
    ``caption`` drawn above it."""
    suffix = Path(path).suffix.lower()
    if suffix == ".svg":
        return export_svg(widget, path, title, caption, rect)
    if suffix in (".png", ""):
        return export_png(widget, Path(path).with_suffix(".png"), caption, rect)
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
