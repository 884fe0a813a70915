"""Unit probes behind the unit inspector (app/insight/units.py) and ``bench/ablation.py``.

Lakretz et al. (2019) found "number units" in an LSTM language model: single
units of c<t> that carry the subject's number to the verb; ablating them breaks
long-distance agreement. Here a unit's score is how well its c<t> at the verb
position predicts the subject's number across examples
(:func:`rnncore.insight.rank_units`). For tasks without a number to predict, the
score is the unit's activity (variance of c<t> over examples and valid steps).

Correlation is not cause: a unit can carry the number and still be redundant.
Lakretz et al. found their number units by *ablating* units one at a time;
:func:`ablation_scores` does that (score = accuracy lost when the unit reads 0).

Units are addressed as ``(part, layer, direction, unit)``, the trace's layout.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .data import Batch
from .insight import ablated, rank_units


@dataclass(frozen=True)
class UnitScores:
    kind: str                 # "number": |r| of c<verb> with the subject's number; "activity": variance of c<t>
    scores: dict              # (part, l, d) → (H,) score per unit
    n: int                    # examples measured

    def ranked(self) -> list[tuple[float, tuple]]:
        """[(score, (part, l, d, unit))] best first, over every layer and direction."""
        rows = [(float(s[u]), (*key, int(u))) for key, s in self.scores.items() for u in range(len(s))]
        rows.sort(key=lambda r: (-r[0] if math.isfinite(r[0]) else math.inf, r[1]))
        return rows


def is_agreement(task) -> bool:
    return task is not None and getattr(task, "name", "") == "agreement" and hasattr(task, "sentence")


def agreement_examples(task, n: int, rng: np.random.Generator, distances=None):
    """n sentence prefixes up to the verb (half singular, half plural) → (rows, plural (n,))."""
    d_lo, d_hi = distances or task.distance
    a_lo, a_hi = task.attractors
    rows, plural = [], []
    for i in range(n):
        p = i % 2 == 1
        k = int(rng.integers(a_lo, min(a_hi, d_hi // 3) + 1))
        d = int(rng.integers(max(d_lo, 3 * k), d_hi + 1))
        rows.append(task.sentence(rng, p, d, k))
        plural.append(p)
    return rows, np.array(plural)


def agreement_batch(task, rows) -> Batch:
    """The model's input for sentence prefixes; the verb is predicted at step T_x(i) (index T_x(i) − 1)."""
    from .tasks.agreement import BOS
    seqs = [task.vocab.encode([BOS, *r] if task.mode == "lm" else r) for r in rows]
    lengths = np.array([len(s) for s in seqs])
    x = np.zeros((len(seqs), int(lengths.max())), np.intp)
    for i, s in enumerate(seqs):
        x[i, :len(s)] = s
    y = np.zeros(x.shape, np.intp) if task.mode == "lm" else np.zeros(len(seqs))   # lm: a target per step
    return Batch(x, y, lengths)


def states_at(model, batch: Batch, steps: np.ndarray, key: str = "c") -> dict:
    """``key`` (c or a) of every layer and direction at step ``steps[i]`` of example i → {(part, l, d): (N, H)}."""
    tr = model.trace(batch, with_gradients=False)
    out = {}
    N = len(batch)
    for part, layers in tr.parts.items():
        if part == "dec":
            continue
        for l, row in enumerate(layers):
            for d, keys in enumerate(row):
                out[(part, l, d)] = np.asarray(keys[key])[steps, np.arange(N)]
    return out


def score_units(task, model, n: int = 256, seed: int = 0) -> UnitScores:
    """Rank every unit: by number information at the verb (agreement), else by activity."""
    rng = np.random.default_rng([seed, 11])
    if is_agreement(task):
        rows, plural = agreement_examples(task, n, rng)
        batch = agreement_batch(task, rows)
        vals = states_at(model, batch, batch.x_lengths - 1)
        return UnitScores("number", {k: rank_units(v, plural) for k, v in vals.items()}, len(rows))
    batch = task.batch(rng, n)
    tr = model.trace(batch, with_gradients=False)
    T = None
    scores = {}
    for part, layers in tr.parts.items():
        if part == "dec":
            continue
        for l, row in enumerate(layers):
            for d, keys in enumerate(row):
                c = np.asarray(keys["c"], float)                     # (T, N, H)
                T = c.shape[0]
                lengths = tr.lengths if part != "dec" and len(tr.lengths) == c.shape[1] else None
                valid = np.ones(c.shape[:2], bool) if lengths is None else np.arange(T)[:, None] < lengths[None]
                v = c[valid]                                          # (M, H)
                scores[(part, l, d)] = v.var(axis=0) if len(v) else np.zeros(c.shape[-1])
    return UnitScores("activity", scores, len(batch))


def agreement_accuracy(task, model, rows, plural) -> float:
    return float(((task.predict_plural(model, rows) > 0.5) == plural).mean())


def ablation_scores(task, model, n: int = 512, seed: int = 0, distances=None) -> UnitScores:
    """Agreement: each unit's score is the accuracy lost when it alone is ablated, on n fresh
    sentences (``distances``: default the training range; pass ``task.test_distance`` for a
    validation set of long sentences, drawn apart from the held-out split)."""
    rng = np.random.default_rng([seed, 13])
    rows, plural = agreement_examples(task, n, rng, distances)
    base = agreement_accuracy(task, model, rows, plural)
    c = model.config
    part = "enc" if "enc" in model.parts else "rnn"
    scores = {}
    for l in range(c.num_layers):
        for d in range(2 if c.bidirectional else 1):
            scores[(part, l, d)] = np.array([
                base - agreement_accuracy(task, ablate_units(model, [(part, l, d, u)]), rows, plural)
                for u in range(c.hidden_size)])
    return UnitScores("ablation", scores, len(rows))


def ablate_units(model, units, value: float = 0.0):
    """A copy of ``model`` with every (part, l, d, unit) in ``units`` ablated (value 0) or clamped."""
    groups: dict = {}
    for part, l, d, u in units:
        groups.setdefault((part, l, d), []).append(u)
    out = model
    for (part, l, d), us in groups.items():
        out = ablated(out, us, layer=l, direction=d, part=part, value=value)
    return out


def headline(metrics: dict) -> dict:
    """The plain float metrics (accuracy, mse, exact_match ...), in the task's order."""
    return {k: float(v) for k, v in metrics.items()
            if isinstance(v, float) and not isinstance(v, bool)}

