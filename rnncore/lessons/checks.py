"""The lessons' questions, answered from the app's own state.

A check is ``check(main, compare) -> (ok, values)``: ``main`` is the state of the
model the lesson is about, ``compare`` the model trained beside it (or None);
``values`` fill the question's ``yes`` / ``no`` texts. A state is anything with
``task``, ``model``, ``history`` (a :class:`rnncore.history.History`) and ``last``
(the newest Snapshot, or None): :class:`RunState` here, the window's dashboard state
later. The tests (tests/test_lessons_claims.py) train each preset for its budget and
assert ``ok``: every observation a lesson promises is checked.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class RunState:
    task: object          # the Task the preset made
    model: object         # the trained Model
    history: object       # History of the run (loss, gradient norms, clip fraction per step)
    last: object = None   # the newest Snapshot (diverged says why a run stopped)


def run_preset(preset, steps: int | None = None) -> RunState:
    """Train ``preset`` for ``steps`` (default: its budget) in this thread; no Qt."""
    from ..trainer import Trainer
    task, mcfg, tcfg = preset.build()
    trainer = Trainer.create(mcfg, tcfg, task)
    last = None
    for last in trainer.run(preset.steps if steps is None else steps):
        pass
    return RunState(task, trainer.model, trainer.history, last)


def answer(lesson, main, compare=None, lang: str = "en"):
    """→ (ok, text): the lesson's confirming or explaining text, filled from the state."""
    ok, values = globals()[lesson.question["check"]](main, compare)
    return ok, lesson.text("yes" if ok else "no", lang).format(**values)


# -- helpers ----------------------------------------------------------------------------------
def _trace(state, batch=None):
    return state.model.trace(state.task.display_example() if batch is None else batch)


def _keys(trace, layer=0, direction=0, part="rnn"):
    return trace.parts[part][layer][direction]


def _words(state, batch=None):
    b = state.task.display_example() if batch is None else batch
    return state.task.describe(b)["x"]


def _rnn_step_error(model, a_prev, x_t, a_t, layer=0):
    """max |a<t> − tanh(a<t-1> W_aa + x<t> W_ax + b_a)| for a vanilla tanh RNN layer."""
    p = model.params
    pre = f"rnn.l{layer}.fwd."
    z = a_prev @ p[pre + "Wh"] + x_t @ p[pre + "Wx"] + p[pre + "b"]
    return float(np.max(np.abs(np.tanh(z) - a_t)))


def _layer_input(model, batch):
    """x<t> as the first layer sees it: the embedding of each token, or its one-hot vector."""
    ids = np.asarray(batch.x)[0]
    if "embed.E" in model.params:
        return model.params["embed.E"][ids]
    return np.eye(model.config.vocab_size, dtype=model.dtype)[ids]


def _accuracy(state, key="accuracy"):
    return float(state.task.evaluate(state.model)[key])


# -- §1 ------------------------------------------------------------------------------------
def names_tagged(main, compare=None):
    """Does ŷ<t> > ½ mark exactly the names of the notes' sentence (y = 1 1 0 1 1 0 0 0 0)?"""
    b = main.task.display_example()
    p = np.asarray(_trace(main, b).outputs)[:, 0, 0]
    pred, y = (p > 0.5).astype(int), np.asarray(b.y).reshape(-1).astype(int)
    return bool(np.array_equal(pred, y)), {"pred": " ".join(map(str, pred)), "y": " ".join(map(str, y)),
                                          "names": " ".join(w for w, k in zip(_words(main, b), pred) if k)}


def forward_equation(main, compare=None, t: int = 3):
    """Is the a<t> the app shows equal to tanh(W_aa a<t-1> + W_ax x<t> + b_a), at t = 3?"""
    b = main.task.display_example()
    a = np.asarray(_keys(_trace(main, b))["a"])[:, 0]                  # (T, H)
    x = _layer_input(main.model, b)
    a_prev = a[t - 2] if t > 1 else np.zeros_like(a[0])
    err = _rnn_step_error(main.model, a_prev, x[t - 1], a[t - 1])
    return err < 1e-4, {"t": t, "err": err, "word": _words(main, b)[t - 1],
                        "a": ", ".join(f"{v:+.2f}" for v in a[t - 1, :3])}


def loss_through_time(main, compare=None):
    """Is L the sum of the L<t> shown, does ∂L/∂a<t> reach t = 1, and did L fall in training?"""
    b = main.task.display_example()
    tr = _trace(main, b)
    per_step = np.asarray(tr.loss)[:, 0]
    total = main.model.loss(b)
    flow = np.linalg.norm(np.asarray(tr.flows["rnn"][0][0])[:, 0], axis=-1)
    h = main.history.arrays()["loss"]
    first, last = float(h[:10].mean()), float(h[-10:].mean())
    ok = abs(per_step.sum() - total) <= 1e-4 * max(1.0, total) and flow[0] > 0 and last < 0.5 * first
    return bool(ok), {"L": total, "sum": float(per_step.sum()), "T": len(per_step), "flow1": float(flow[0]),
                      "flowT": float(flow[-1]), "first": first, "last": last}


def review_rating(main, compare=None):
    """Many-to-one: one ŷ for the whole review; "not good at all" negative, "… good" positive."""
    p = lambda text: float(np.asarray(main.model.predict(main.task.encode(text).x)).reshape(-1)[0])  # noqa: E731
    neg, pos = p("the movie was not good at all"), p("the movie was good")
    T_y = int(np.asarray(_trace(main).outputs).shape[0])
    return neg < 0.5 < pos and T_y == 1, {"neg": neg, "pos": pos, "T_y": T_y}


def pear_beats_pair(main, compare=None):
    """P(the apple and pear salad) > P(the apple and pair salad)?"""
    from ..tasks.lm import PAIR, PEAR
    pear, pair = main.task.score(main.model, PEAR)["total"], main.task.score(main.model, PAIR)["total"]
    return pear > pair, {"log_pear": pear, "log_pair": pair, "ratio": float(np.exp(min(pear - pair, 700)))}


def sampling_temperature(main, compare=None):
    """Temperature 0 always says the same sentence; temperature 1 varies, and stops at EOS."""
    from .. import generate as gen
    task, rng = main.task, np.random.default_rng(0)
    cold = task.sample(main.model, rng, temperature=0.0, n=5)
    warm = gen.sample_tokens(main.model, task.start_id, eos_id=task.eos_id, max_len=40, temperature=1.0,
                             rng=rng, n=20)
    texts = [task.detokenize(task.vocab.decode(ids)) for ids in warm]
    eos = float(np.mean([bool(ids) and ids[-1] == task.eos_id for ids in warm]))
    ok = len(set(cold)) == 1 and len(set(texts)) >= 5 and eos >= 0.8
    return ok, {"cold": cold[0], "warm1": texts[0], "warm2": texts[1], "distinct": len(set(texts)), "eos": eos}


def gated_beats_rnn(main, compare):
    """Held-out agreement at longer distances: the gated cell (main) passes, the plain RNN
    (compare) stays near chance (50 %; the first noun alone scores about 64 %)."""
    m = main.task.evaluate(main.model)
    gated, rnn = float(m["accuracy"]), _accuracy(compare)
    return gated >= 0.9 and rnn <= 0.7, {"gated": gated, "rnn": rnn, "cell": main.model.config.cell,
                                          "first_noun": float(m["baselines"]["first_noun"])}


def clipping_saves(main, compare):
    """Clipped (main) trains; unclipped (compare) diverges and stops with its last finite weights."""
    m = main.task.evaluate(main.model)
    h = main.history.arrays()
    diverged = compare.last is not None and not compare.last.ok
    ok = diverged and main.last.ok and m["mse"] < 0.2 * m["baseline_mse"] and h["clip_fraction"].mean() > 0
    return bool(ok), {"mse": float(m["mse"]), "baseline": float(m["baseline_mse"]),
                      "clip_share": float(h["clip_fraction"].mean()), "max_norm": float(h["grad_norm_max"].max()),
                      "stopped": compare.last.step if diverged else "-"}


def _clause(state):
    """The notes' sentence and the steps of its relative clause (after "cats", up to the verb)."""
    b = state.task.display_example()
    words = _words(state, b)
    return b, words, np.arange(words.index("cats") + 1, len(words))


def number_held_in_c(main, compare=None):
    """Simplified GRU: some unit of c<t> holds the subject's number all through "which ate the
    fish": its c differs in sign between "The cats …" and "The cat …" (by more than 0.3) at every
    step from the subject to the verb; and the held-out agreement is right. Γu of that unit is
    reported (the notes' Γu ≈ 0 keeps c<t> = c<t-1>; a unit may also rewrite the same number
    through c̃ at every step)."""
    runs = []
    for text in ("The cats which ate the fish were", "The cat which ate the fish was"):
        k = _keys(_trace(main, main.task.encode(text)))
        runs.append((np.asarray(k["c"])[:, 0], np.asarray(k["gamma_u"])[:, 0]))
    (c_pl, gu_pl), (c_sg, _) = runs
    d = (c_pl - c_sg)[1:]                                               # from "cats" (t = 2) on
    held = np.all(np.sign(d) == np.sign(d[0]), axis=0) & (np.abs(d).min(axis=0) > 0.3)
    units = np.nonzero(held)[0]
    u = int(units[np.argmax(np.abs(d[-1, units]))]) if len(units) else int(np.argmax(np.abs(d[-1])))
    acc = _accuracy(main)
    return bool(len(units) and acc >= 0.9), {
        "unit": u, "n_units": len(units), "acc": acc, "c_pl": float(c_pl[-1, u]), "c_sg": float(c_sg[-1, u]),
        "gu": ", ".join(f"{v:.2f}" for v in gu_pl[2:, u])}


def relevance_gate_varies(main, compare=None):
    """Full GRU: Γr opens and closes word by word (some unit spans more than 0.5), and agreement is right."""
    b, words, _ = _clause(main)
    gr = np.asarray(_keys(_trace(main, b))["gamma_r"])[:, 0]
    span = gr.max(axis=0) - gr.min(axis=0)
    u = int(np.argmax(span))
    acc = _accuracy(main)
    return bool(span[u] > 0.5 and acc >= 0.9), {"unit": u, "low": float(gr[:, u].min()),
                                                "high": float(gr[:, u].max()), "acc": acc}


def lstm_output_tanh(main, compare=None):
    """LSTM: the app computes a<t> = Γo * tanh(c<t>); c<t> grows beyond 1 while |a<t>| < 1, so the
    notes' a<t> = Γo * c<t> would let a grow with c."""
    k = _keys(_trace(main))
    c, go, a = (np.asarray(k[n])[:, 0] for n in ("c", "gamma_o", "a"))
    err = float(np.max(np.abs(go * np.tanh(c) - a)))
    notes = float(np.max(np.abs(go * c)))
    ok = err < 1e-5 and float(np.abs(c).max()) > 1 and float(np.abs(a).max()) < 1 and notes > 1
    return bool(ok), {"err": err, "c_max": float(np.abs(c).max()), "a_max": float(np.abs(a).max()), "notes": notes}


def teddy_needs_future(main, compare):
    """Held-out "Teddy": the bidirectional model (main) is right, the unidirectional one is not."""
    bi, uni = _accuracy(main, "teddy_accuracy"), _accuracy(compare, "teddy_accuracy")
    return bi >= 0.85 and uni <= 0.65, {"bi": bi, "uni": uni}


def deep_rnn_step(main, compare=None, t: int = 3):
    """Deep RNN: a[2]<3> = tanh(W_a[2] [a[2]<2>, a[1]<3>] + b_a[2]) holds in the app's trace,
    and the stacked model tags the notes' sentence."""
    b = main.task.display_example()
    tr = _trace(main, b)
    a1 = np.asarray(_keys(tr, 0)["a"])[:, 0]
    a2 = np.asarray(_keys(tr, 1)["a"])[:, 0]
    err = _rnn_step_error(main.model, a2[t - 2], a1[t - 1], a2[t - 1], layer=1)
    tagged, v = names_tagged(main)
    return bool(err < 1e-4 and tagged), {"err": err, "layers": len(tr.parts["rnn"]), **v}
