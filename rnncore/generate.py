"""Running a trained model freely: sampling, greedy decoding, sentence scores.

The notes' §1 "sampling novel sequences": sample a token from the softmax of
step t, feed it in as x<t+1>, repeat until EOS or a length limit. Built only on
the model's public pieces: ``model.parts`` (the recurrent stacks), one
``Stack.forward`` per time step with the state carried in ``states0``, and the
head ``ŷ<t> = softmax(a<t> @ head.W + head.b)``.

Input layouts, the same as in training (see ``rnncore.heads.feedback_inputs``):

- language model (``many-to-many`` over token ids): x<1> is the start token (the
  notes' x<1> = 0), then x<t> = y<t-1>;
- ``one-to-many``: x<1> = [start vector, 0], then x<t> = [0, one-hot ŷ<t-1>];
- ``encoder-decoder``: the encoder reads x; its final states start the decoder,
  whose x<1> = 0 and x<t> = one-hot ŷ<t-1>.

Temperature τ divides the logits before the softmax: τ = 1 samples the model's
distribution, τ → 0 approaches argmax (τ = 0 *is* argmax, greedy decoding), τ > 1
flattens it.
"""
from __future__ import annotations

import numpy as np

from .functional import log_softmax
from .inputs import prepare_inputs

__all__ = ["log_probs", "score", "sample_tokens", "generate", "greedy", "pick", "step", "encode_states"]


# -- one step ----------------------------------------------------------------
def step(model, part: str, X1: np.ndarray, states, tokens: bool = False):
    """One time step of the stack ``model.parts[part]``.

    X1: (1, N, D) floats or (1, N) token ids; states: [l][d] (a, c) pairs or None
    (a<0> = 0). Returns (logits (N, O), new states).
    """
    stack, P, _ = model.parts[part]
    top, finals, _ = stack.forward(P, X1, None, states, tokens=tokens)
    logits = top[0] @ model.params["head.W"] + model.params["head.b"]     # (N, O)
    return logits, finals


def pick(logits: np.ndarray, temperature: float = 1.0, rng: np.random.Generator | None = None) -> np.ndarray:
    """One id per row of logits (N, O): argmax when temperature is 0, else a sample
    from softmax(logits / temperature)."""
    if not np.isfinite(temperature) or temperature < 0:
        raise ValueError(f"temperature must be a finite number >= 0, got {temperature}")
    if temperature == 0:
        return np.argmax(logits, axis=-1)
    if rng is None:
        raise ValueError("sampling with temperature > 0 needs rng (a numpy Generator)")
    p = np.exp(log_softmax(np.asarray(logits, np.float64) / temperature))
    cdf = np.cumsum(p, axis=-1)
    u = rng.random(len(p))[:, None] * cdf[:, -1:]
    return np.minimum((cdf <= u).sum(axis=-1), p.shape[-1] - 1)


# -- scores --------------------------------------------------------------------
def log_probs(model, x, y, x_lengths=None) -> np.ndarray:
    """log p(y<t> | everything before) for every step: (N, T_y), one forward pass
    with the true previous tokens fed in (teacher forcing). Softmax models only.
    Steps past a sequence's length (x_lengths, many-to-many) hold meaningless values."""
    if model.config.output != "softmax":
        raise ValueError(f"log_probs needs a softmax output, the model has {model.config.output!r}")
    y = np.asarray(y)
    fwd = model.forward(x, x_lengths, y if model.config.shape in ("one-to-many", "encoder-decoder") else None)
    lp = log_softmax(np.asarray(fwd.logits, np.float64))                   # (T_y, N, O)
    Y = y.astype(np.intp).T if y.ndim == 2 else y.astype(np.intp)[None]
    return np.take_along_axis(lp, Y[..., None], axis=-1)[..., 0].T        # (N, T_y)


def score(model, x_ids, y_ids) -> tuple[np.ndarray, float]:
    """One sentence's log probability: (per-token log p (T,), total Σ_t log p).

    For a language model x_ids = [start, w1 .. wn] and y_ids = [w1 .. wn, EOS], so
    the total is log P(sentence) = Σ_t log p(y<t> | y<1..t-1>) (the notes' product,
    in logs). Natural logarithms.
    """
    lp = log_probs(model, np.asarray(x_ids)[None], np.asarray(y_ids)[None])[0]
    return lp, float(lp.sum())


# -- free running ------------------------------------------------------------------
def _token_input(model, ids):
    """(1, N) ids for a one-hot token model, or (1, N, E) embedded vectors."""
    if "embed.E" in model.params:
        return model.params["embed.E"][ids][None], False
    return np.asarray(ids, np.intp)[None], True


def sample_tokens(model, start_id: int, *, eos_id: int | None, max_len: int, temperature: float = 1.0,
                  rng: np.random.Generator | None = None, n: int = 1, prefix=()) -> list[list[int]]:
    """Sample n sequences from a token language model (shape many-to-many).

    x<1> = start_id, then the given ``prefix`` ids are fed in as they are, then each
    sampled id is fed back. A sequence ends after emitting ``eos_id`` (which is kept
    as its last id) or after ``max_len`` sampled ids. Returns the sampled ids (the
    prefix excluded) of each sequence.
    """
    c = model.config
    if c.shape != "many-to-many" or not c.vocab_size or c.bidirectional:
        raise ValueError("sample_tokens needs a unidirectional many-to-many model over token ids")
    if max_len < 1:
        raise ValueError(f"max_len must be >= 1, got {max_len}")
    forced = [int(start_id), *map(int, prefix)]
    states = None
    for tok in forced:
        X1, tokens = _token_input(model, np.full(n, tok))
        logits, states = step(model, "rnn", X1, states, tokens)
    out = [[] for _ in range(n)]
    alive = np.ones(n, bool)
    for _ in range(max_len):
        ids = pick(logits, temperature, rng)
        if not _append(out, alive, ids, eos_id):
            break
        X1, tokens = _token_input(model, ids)
        logits, states = step(model, "rnn", X1, states, tokens)
    return out


def _join(finals_of_layer):
    """The decoder's initial state of one layer from the encoder's: [→a, ←a] (and c)."""
    if len(finals_of_layer) == 1:
        return finals_of_layer[0]
    (af, cf), (ab, cb) = finals_of_layer
    return np.concatenate([af, ab], axis=-1), (None if cf is None else np.concatenate([cf, cb], axis=-1))


def encode_states(model, x, x_lengths=None):
    """Encoder-decoder: the decoder's initial states from reading x (batch-first)."""
    X, tokens, mask, _ = prepare_inputs(model, x, x_lengths)
    if tokens is not None and "embed.E" in model.params:
        X = model.params["embed.E"][tokens]
    feed_tokens = tokens is not None and "embed.E" not in model.params
    stack, P, _ = model.parts["enc"]
    _, finals, _ = stack.forward(P, X, mask, tokens=feed_tokens)
    return [[_join(f)] for f in finals]


def generate(model, x, x_lengths=None, *, max_len: int | None = None, temperature: float = 0.0,
             rng: np.random.Generator | None = None, eos_id: int | None = None) -> list[list[int]]:
    """Free-running output of a one-to-many or encoder-decoder model.

    x: (N, D) start vectors (one-to-many) or the encoder's input (N, T_x).
    Each ŷ<t> is picked (argmax at temperature 0, else sampled) and fed back as
    x<t+1>. Runs ``max_len`` steps (default the model's ``target_length``), or
    until ``eos_id`` is emitted (kept as the last id). Returns the ids per sequence.
    """
    c = model.config
    if c.shape not in ("one-to-many", "encoder-decoder"):
        raise ValueError(f"generate needs a one-to-many or encoder-decoder model, got shape {c.shape!r}")
    T = c.target_length if max_len is None else int(max_len)
    if T < 1:
        raise ValueError(f"max_len must be >= 1, got {T}")
    O = c.output_size
    if c.shape == "one-to-many":
        start, _, _, _ = prepare_inputs(model, x)
        start = start[0]                                   # (N, S)
        N, S = start.shape
        part, states = "rnn", None
    elif c.shape == "encoder-decoder":
        states = encode_states(model, x, x_lengths)
        N, S, start = len(np.asarray(x)), 0, None
        part = "dec"
    X1 = np.zeros((1, N, S + O), model.dtype)
    if start is not None:
        X1[0, :, :S] = start                              # x<1> = [start, 0]
    out = [[] for _ in range(N)]
    alive = np.ones(N, bool)
    rows = np.arange(N)
    for _ in range(T):
        logits, states = step(model, part, X1, states)
        ids = pick(logits, temperature, rng)
        if not _append(out, alive, ids, eos_id):
            break
        X1 = np.zeros((1, N, S + O), model.dtype)         # x<t+1> = [0, one-hot ŷ<t>]
        X1[0, rows, S + ids] = 1
    return out


def greedy(model, x, x_lengths=None, max_len: int | None = None) -> np.ndarray:
    """Argmax decoding of a one-to-many or encoder-decoder model: ids (N, max_len)."""
    out = generate(model, x, x_lengths, max_len=max_len, temperature=0.0)
    return np.array(out, np.intp)


def _append(out, alive, ids, eos_id) -> bool:
    """Add each still-running sequence's new id; a sequence ends at EOS (kept).
    → whether any sequence still runs."""
    for i in np.flatnonzero(alive):
        out[i].append(int(ids[i]))
        if eos_id is not None and ids[i] == eos_id:
            alive[i] = False
    return bool(alive.any())
