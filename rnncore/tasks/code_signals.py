"""What a reader of Python source knows at every character, from ``tokenize``;
and which unit of a network tracks it (Karpathy, Johnson & Fei-Fei 2015).

``signals(text)`` gives, for each character i of the text (the state after
reading it), one value per signal:

- ``string``: 1 inside a string literal, from its prefix and opening quote up to its
  closing quote, which is 0: after reading the closing quote the reader is out of the
  string (an f-string from its opening to its closing quote)
- ``comment``: 1 inside a ``#`` comment, else 0
- ``text``: string or comment (where prose lives: docstrings and comments)
- ``depth``: open brackets ``( [ {`` after this character, counted outside strings and
  comments, and given only at characters of code: inside a string or a comment it is
  NaN (not scored), because the text there has brackets of its own that tokenize does
  not count (doctests and asides in docstrings, ``# see f(x)``), and a unit that counts
  every bracket would be marked wrong there for doing so
- ``depth_all``: the same count at every character, strings and comments included (at
  their enclosing code's depth), the stricter figure
- ``indent``: the indentation level (INDENT tokens minus DEDENT tokens) of the
  logical line the character belongs to
- ``column``: position in the physical line, 0 at its first character

``UnitCorrelation`` accumulates Pearson's r between every unit and every signal
over any number of chunks, without keeping the states; a NaN signal value leaves
that step out of that signal's r.
"""
from __future__ import annotations

import io
import tokenize

import numpy as np

SIGNALS = ("string", "comment", "text", "depth", "depth_all", "indent", "column")
_OPEN, _CLOSE = set("([{"), set(")]}")
_FSTRING = tuple(getattr(tokenize, n, -1) for n in ("FSTRING_START", "FSTRING_END"))   # Python ≥ 3.12


def signals(text: str) -> dict[str, np.ndarray] | None:
    """Per-character signals (see the module's docstring), or None if ``tokenize``
    cannot read the text as Python (an error or an error token)."""
    n = len(text)
    starts = np.zeros(text.count("\n") + 2, np.int64)          # offset of each line (1-based)
    starts[2:] = np.flatnonzero(np.frombuffer(text.encode("utf-32-le"), np.uint32) == 10) + 1
    pos = lambda rc: int(starts[rc[0]] + rc[1])  # noqa: E731   (tokenize's (row, col) → offset)
    string = np.zeros(n + 1, np.int8)       # +1/−1 at range edges, then a running sum
    comment = np.zeros(n + 1, np.int8)
    depth = np.zeros(n + 1, np.int64)
    line_level = np.full(len(starts), -1, np.int64)
    level, fstrings = 0, []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.ENDMARKER:
                break
            if tok.type == tokenize.ERRORTOKEN:     # an unclosed quote, a '$' ...: not Python
                return None
            if tok.type == tokenize.INDENT:
                level += 1
            elif tok.type == tokenize.DEDENT:
                level -= 1
            for row in range(tok.start[0], tok.end[0] + 1):  # a multi-line token's lines belong to its line
                if row < len(line_level) and line_level[row] < 0:
                    line_level[row] = level
            a, b = pos(tok.start), pos(tok.end)
            if tok.type == tokenize.STRING:
                string[a] += 1
                string[b - 1] -= 1
            elif tok.type == _FSTRING[0]:
                fstrings.append(a)
            elif tok.type == _FSTRING[1]:
                a0 = fstrings.pop()
                if not fstrings:
                    string[a0] += 1
                    string[b - 1] -= 1
            elif tok.type == tokenize.COMMENT:
                comment[a] += 1
                comment[b] -= 1
            elif tok.type == tokenize.OP and tok.string in _OPEN:
                depth[a] += 1
            elif tok.type == tokenize.OP and tok.string in _CLOSE:
                depth[a] -= 1
    except (tokenize.TokenError, SyntaxError):
        return None
    out = {"string": np.cumsum(string)[:n] > 0, "comment": np.cumsum(comment)[:n] > 0}
    out["text"] = out["string"] | out["comment"]
    out["depth_all"] = np.cumsum(depth)[:n]
    out["depth"] = np.where(out["text"], np.nan, out["depth_all"])
    row_of = np.searchsorted(starts[1:], np.arange(n), side="right")        # 1-based row of each char
    out["indent"] = np.maximum(line_level, 0)[row_of]
    out["column"] = np.arange(n) - starts[row_of]
    return {k: v.astype(np.float64) for k, v in out.items()}


class UnitCorrelation:
    """Pearson's r of each unit (columns of S) with each signal, over every step added;
    each signal over the steps where it is not NaN."""

    def __init__(self, units: int, names=SIGNALS):
        self.names = tuple(names)
        k = len(self.names)
        self.n = 0                                # steps added
        self.m = np.zeros(k)                      # steps scored, per signal
        self.sx, self.sxx = np.zeros((units, k)), np.zeros((units, k))
        self.ss, self.sss = np.zeros(k), np.zeros(k)
        self.sxs = np.zeros((units, k))

    def add(self, states: np.ndarray, sig: np.ndarray) -> None:
        """states (M, units) and signals (M, k) of the same M steps."""
        x = np.asarray(states, np.float64)
        sig = np.asarray(sig, np.float64)
        known = ~np.isnan(sig)
        s = np.where(known, sig, 0.0)
        w = known.astype(np.float64)
        self.n += len(x)
        self.m += w.sum(0)
        self.sx += x.T @ w
        self.sxx += (x * x).T @ w
        self.ss += s.sum(0)
        self.sss += (s * s).sum(0)
        self.sxs += x.T @ s

    def r(self) -> np.ndarray:
        """(units, k) correlations; 0 where a unit or a signal never varies."""
        m = np.maximum(self.m, 1)
        cov = self.sxs / m - (self.sx / m) * (self.ss / m)
        vx = np.maximum(self.sxx / m - (self.sx / m) ** 2, 0)
        vs = np.maximum(self.sss / m - (self.ss / m) ** 2, 0)
        den = np.sqrt(vx * vs)
        return np.divide(cov, den, out=np.zeros_like(cov), where=den > 1e-12)

    def best(self) -> dict:
        """signal → {'unit': index, 'r': r} of the unit with the largest |r|."""
        r = self.r()
        out = {}
        for j, name in enumerate(self.names):
            u = int(np.argmax(np.abs(r[:, j])))
            out[name] = {"unit": u, "r": round(float(r[u, j]), 4)}
        return out
