"""The sequence strip's content: the state turned into rows of cells (x<t>, y<t>, ŷ<t>), no painting.

ŷ<t> carries the predicted label with the probability given to the target (right / wrong) when
the target is known; a typed input with no known answer gets predictions only; a typed token the
vocabulary lacks is shown as typed and marked (``Cell.odd``). Many-to-one models predict once,
under the last token; an encoder-decoder's rows sit on two time axes (``Row.part``)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QCoreApplication

from app.panels.common import describe as _describe, fmt, shape_of


@dataclass
class Cell:
    text: str = ""
    tip: str = ""
    sub: str = ""                  # small second line (a probability)
    bar: float | None = None       # 0..1: probability drawn as a bar
    good: bool | None = None       # right / wrong / unknown
    odd: bool = False              # a typed token the vocabulary lacks (read as the task's oov token)
    flag: bool = False             # a token the task marks (adding's two numbers to add, "[0.5]")


@dataclass
class Row:
    name: str                      # row label in the notes' notation
    cells: list = field(default_factory=list)   # Cell or None (empty column)
    part: str = ""                 # its time axis: "enc" / "dec" (encoder-decoder: side by side), "" one axis


# -- turning the state into rows ---------------------------------------------
def _fallback_tokens(x) -> list[str]:
    x = np.asarray(x)
    if x.ndim == 1 and np.issubdtype(x.dtype, np.integer):
        return [str(int(v)) for v in x]
    if x.ndim == 1:                                   # one start vector (one-to-many)
        return ["[" + " ".join(f"{v:.2g}" for v in x[:4]) + (" …]" if x.size > 4 else "]")]
    return [" ".join(f"{v:.2g}" for v in row[:3]) + (" …" if row.size > 3 else "") for row in x]


def _predicted_batch(example, outputs, cfg):
    """A copy of ``example`` whose y holds the predictions, in y's own format."""
    from rnncore import Batch
    y = np.asarray(example.y)
    if cfg.output == "softmax":
        pred = outputs.argmax(-1)                     # (T_y,)
    elif cfg.output == "sigmoid":
        pred = (outputs > 0.5).astype(float)          # (T_y, O)
    else:
        pred = outputs.copy()
    try:
        pred = pred.reshape(y.shape[1:]) if pred.size == int(np.prod(y.shape[1:])) else None
    except ValueError:
        pred = None
    if pred is None:
        return None
    return Batch(example.x, pred[None].astype(y.dtype), example.x_lengths, example.y_lengths)


def _x_cells(xs, typed) -> list[Cell]:
    """x<t> cells; a typed token the vocabulary lacks shows as typed, marked (``typed.unknown``
    are in order, each read as ``typed.oov``)."""
    unknown = list(typed.unknown) if typed is not None else []
    cells = []
    for t, s in enumerate(xs):
        if unknown and s == typed.oov:
            word = unknown.pop(0)
            tip = QCoreApplication.translate("SequencePanel", "x<{t}> = {word}: not in the vocabulary, read as {oov}")
            cells.append(Cell(word, tip.format(t=t + 1, word=word, oov=typed.oov), odd=True))
        else:
            flag = len(s) > 2 and s.startswith("[") and s.endswith("]")
            cells.append(Cell(s, f"x<{t + 1}> = {s}", flag=flag))
    return cells


def _labels(task, ex):
    """The two labels of a sigmoid many-to-one task ('was', 'were'; 'negative', 'positive'), or None."""
    from rnncore import Batch
    try:
        ys = [_describe(task, Batch(ex.x, np.array([v]), ex.x_lengths))["y"] for v in (0.0, 1.0)]
        return [str(y[-1] if isinstance(y, (list, tuple)) else y) for y in ys]
    except Exception:  # noqa: BLE001 - describe is a plug-in
        return None


def _running_cells(state, cfg, labels) -> list | None:
    """ŷ<t> at every step of a many-to-one model: the answer if the sequence stopped at t."""
    from rnncore.examples import running_predictions
    try:
        run = running_predictions(state.trace, state.weights, cfg)
    except Exception:  # noqa: BLE001 - weights of another model while a run starts
        return None
    if run is None:
        return None
    tip = QCoreApplication.translate("SequencePanel", "ŷ<{t}>: the answer if the sequence stopped at t = {t}")
    cells = []
    for t, p in enumerate(run):
        head = tip.format(t=t + 1)
        if cfg.output == "sigmoid" and p.size == 1:
            on = bool(p[0] > 0.5)
            text = labels[on] if labels else str(int(on))
            prob = float(p[0] if on else 1 - p[0])
            cells.append(Cell(text, f"{head}\nP(ŷ = 1) = {p[0]:.4f}", f"{prob:.2f}", prob))
        elif cfg.output == "softmax":
            k = int(p.argmax())
            cells.append(Cell(str(k), f"{head}\nP({k}) = {p[k]:.4f}", f"{p[k]:.2f}", float(p[k])))
        else:
            cells.append(Cell(f"{p[0]:.3g}", f"{head}\nŷ = " + ", ".join(f"{v:.4f}" for v in p)))
    return cells


def _sampled_cells(state, ex, task) -> list | None:
    """A melody the model writes itself (each note drawn and fed back), fixed for a training step."""
    from rnncore import Batch
    from rnncore.examples import sample_melody
    try:
        ids = sample_melody(state.current_model(), ex, np.random.default_rng([state.step, 3]))
        if ids is None:
            return None
        notes = (_describe(task, Batch(ex.x, ids[None])) or {}).get("y") or [str(i) for i in ids]
    except Exception:  # noqa: BLE001 - no weights yet, or another model's
        return None
    tip = QCoreApplication.translate("SequencePanel", "sampled: ŷ<{t}> drawn from the model's distribution and fed "
                                     "back as x<{next}>")
    return [Cell(str(n), tip.format(t=t + 1, next=t + 2)) for t, n in enumerate(notes)]


def _first_note_line(task, ex, loss) -> str:
    """Why a melody's L<1> stays large: its first note is drawn at random among the style's starts."""
    starts = getattr(task, "starts", None)
    if not isinstance(starts, dict) or loss is None or not loss.size:
        return ""
    try:
        style = task.styles[int(np.argmax(np.asarray(ex.x)[0]))]
        n = len(starts[style])
    except Exception:  # noqa: BLE001
        return ""
    line = QCoreApplication.translate(
        "SequencePanel", "L<1> = {l1} stays large: the first note is a random one of {n} starts "
        "(at best ln {n} = {best}); the rest follow from it.")
    return line.format(l1=fmt(float(loss[0])), n=n, best=f"{np.log(n):.2f}")


def build_rows(state):
    """(rows, steps_of_input, summary) for the current state."""
    tr, ex, cfg, task = state.trace, state.example, state.model_config, state.task
    if tr is None:
        return [], 0, ""
    shape = shape_of(state)
    T_x = int(tr.lengths[0]) if tr.lengths.size else 0
    out = np.asarray(tr.outputs)[:, 0, :]             # (T_y, O)
    if shape == "many-to-many":
        out = out[:T_x]
    T_y = out.shape[0]
    d = _describe(task, ex) or {}
    xs = list(d.get("x") or (_fallback_tokens(np.asarray(ex.x)[0]) if ex is not None else []))
    if shape not in ("one-to-one", "one-to-many"):
        xs = xs[:T_x] + [""] * (T_x - len(xs))
    ys = list(d.get("y") or [])
    pd = _describe(task, _predicted_batch(ex, out, cfg)) if (ex is not None and cfg is not None) else None
    pred_text = list((pd or {}).get("y") or [])
    output = cfg.output if cfg is not None else ("softmax" if out.shape[-1] > 1 else "sigmoid")
    typed = getattr(state, "typed", None)
    known = typed is None or typed.target_known          # no known answer: predictions only
    y_arr = np.asarray(ex.y)[0] if ex is not None and known else None
    loss = None if tr.loss is None else np.asarray(tr.loss)[:, 0]

    pred_cells, n_right, n_known = [], 0, 0
    for t in range(T_y):
        p = out[t]
        target = None
        if y_arr is not None:
            try:
                target = y_arr.reshape(T_y, -1)[t] if y_arr.size else None
            except ValueError:
                target = None
        if output == "softmax":
            k = int(p.argmax())
            txt = pred_text[t] if t < len(pred_text) else str(k)
            tip = f"ŷ<{t + 1}>: " + ", ".join(f"{i}: {p[i]:.3f}" for i in np.argsort(p)[::-1][:3])
            bar, good = float(p[k]), None
            if target is not None:
                j = int(target[0])
                bar, good = float(p[j]), k == j
                tip += f"\nP(target {j}) = {p[j]:.4f}"
            sub = f"{p[k]:.2f}"
        elif output == "sigmoid":
            on = p > 0.5
            txt = pred_text[t] if t < len(pred_text) else ("1" if on.all() else "0")
            # the probability of the label shown (P(ŷ = 1) is in the tooltip)
            sub = f"{(p[0] if on[0] else 1 - p[0]):.2f}" if p.size == 1 else ""
            tip = f"ŷ<{t + 1}> = " + ", ".join(f"{v:.4f}" for v in p)
            bar, good = float(p.max()), None
            if target is not None:
                tgt = target.astype(float)
                bar = float(np.mean(np.where(tgt > 0.5, p, 1 - p)))   # probability of the target
                good = bool(np.all(on == (tgt > 0.5)))
                tip += f"\nP(target) = {bar:.4f}"
        else:
            txt = pred_text[t] if t < len(pred_text) else ", ".join(f"{v:.3g}" for v in p[:3])
            sub = ""
            tip = f"ŷ<{t + 1}> = " + ", ".join(f"{v:.4f}" for v in p)
            bar, good = None, None
            if target is not None:
                tip += "\ny = " + ", ".join(f"{float(v):.4f}" for v in np.ravel(target))
        if loss is not None and t < loss.size:
            tip += f"\nL<{t + 1}> = {loss[t]:.4f}"
        if good is not None:
            n_known += 1
            n_right += int(good)
        pred_cells.append(Cell(txt, tip, sub, bar, good))
    y_cells = [Cell(ys[t] if t < len(ys) else "", f"y<{t + 1}> = {ys[t]}" if t < len(ys) else "")
               for t in range(T_y)]
    x_cells = _x_cells(xs, typed)

    rows = []
    if shape == "many-to-one" or shape == "one-to-one":
        n = max(len(x_cells), 1)
        pad = [None] * (n - 1)
        run = _running_cells(state, cfg, _labels(task, ex)) if shape == "many-to-one" and ex is not None else None
        if run is not None and len(run) == n and pred_cells:     # ŷ at every t; the last one is the answer
            rows = [Row("x<t>", x_cells), Row("y", pad + y_cells[-1:]), Row("ŷ<t>", run[:-1] + pred_cells[-1:])]
        else:
            rows = [Row("x<t>", x_cells), Row("y", pad + y_cells[-1:]), Row("ŷ", pad + pred_cells[-1:])]
    elif shape == "encoder-decoder":               # two time axes: the encoder reads, then the decoder writes
        rows = [Row("x<t>", x_cells, "enc"), Row("y<t>", y_cells, "dec"), Row("ŷ<t>", pred_cells, "dec")]
    elif shape == "one-to-many":
        rows = [Row("x", x_cells[:1]), Row("y<t>", y_cells), Row("ŷ<t>", pred_cells)]
        sampled = _sampled_cells(state, ex, task) if ex is not None else None
        if sampled:
            rows.append(Row(QCoreApplication.translate("SequencePanel", "sampled"), sampled))
    else:
        rows = [Row("x<t>", x_cells), Row("y<t>", y_cells), Row("ŷ<t>", pred_cells)]
    if not known:                                     # a stand-in y is no target: not drawn, not scored
        rows = [r for r in rows if not r.name.startswith("y")]
    summary = f"T_x = {T_x}" + (f", T_y = {T_y}" if shape in ("encoder-decoder", "one-to-many") else "")
    if loss is not None:
        summary += f",  L = Σ L<t> = {fmt(float(np.nansum(loss[:T_y])))}"
    if shape in ("many-to-one", "one-to-one") and pred_cells:
        last, yl = pred_cells[-1], y_cells[-1].text if y_cells and known else ""
        summary += f",  ŷ = {last.text}" + (f" ({last.sub})" if last.sub else "") + (f", y = {yl}" if yl else "")
        if last.good is not None:
            summary += ": right" if last.good else ": wrong"
    elif n_known:
        summary += f",  right: {n_right}/{n_known}"
    if shape == "one-to-many" and ex is not None:
        first = _first_note_line(task, ex, loss)
        summary += f"\n{first}" if first else ""
    return rows, T_x, summary


def answer_text(rows) -> str:
    """'y = …' and 'ŷ = …' of a many-to-one strip (its one answer, under the last step), or ''."""
    named = {r.name: r.cells[-1] for r in rows if r.cells and r.cells[-1] is not None}
    if "y" not in named and "ŷ" not in named and not ("ŷ<t>" in named and "y" in named):
        return ""
    y, yhat = named.get("y"), named.get("ŷ") or named.get("ŷ<t>")
    lines = [f"y = {y.text}"] if y is not None and y.text else []
    if yhat is not None:
        lines.append(f"ŷ = {yhat.text}" + (f" ({yhat.sub})" if yhat.sub else ""))
    return "\n".join(lines)
