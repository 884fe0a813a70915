"""Import the weights of a PyTorch nn.RNN, nn.GRU or nn.LSTM, to look inside it.

The file is a ``state_dict`` saved as safetensors or as .npz, with PyTorch's key
names. In PyTorch (two lines)::

    from safetensors.torch import save_file
    save_file(model.state_dict(), "weights.safetensors")

or, without safetensors, ``np.savez("weights.npz", **{k: v.numpy() for k, v in model.state_dict().items()})``.

What is read
    ``weight_ih_l{l}``, ``weight_hh_l{l}``, ``bias_ih_l{l}``, ``bias_hh_l{l}``
    and their ``_reverse`` twins, for every layer l. The module kind comes from
    the gate blocks (rows of ``weight_hh_l0`` / hidden size: 1 RNN, 3 GRU, 4
    LSTM), sizes from the shapes, depth from the layer indices, direction from
    ``_reverse``. An nn.RNN's nonlinearity (tanh or relu) is not in the file:
    ``nonlinearity`` must be given for one (it is refused otherwise). Modules
    saved with ``bias=False`` have no bias keys (zeros are used). All recurrent keys may share one prefix, e.g. ``lstm.``
    when a whole model's state_dict was saved.

The head
    A Linear layer after the recurrent module, as keys ``head.weight`` /
    ``head.bias`` or ``fc.weight`` / ``fc.bias`` (beside the recurrent keys,
    e.g. ``fc.weight`` next to ``lstm.weight_ih_l0``), becomes the model's head:
    ŷ<t> = W a<t> + b at every step. Without one, the head is the identity, so
    the model's outputs are exactly the module's ``output`` (the top layer's
    a<t>, both directions concatenated). Outputs are ``linear`` unless
    ``output`` says otherwise.

The model built is many-to-many, starts from zero states (PyTorch's default
h0 = c0 = 0), runs the GRU in PyTorch's variant (``reset_after=True``) and
maps the weights through :func:`rnncore.naming.torch_to_core`. Not supported,
with an error saying so: LSTM ``proj_size`` (``weight_hr``), the single-step
cells (nn.RNNCell, nn.GRUCell, nn.LSTMCell), other modules, bfloat16.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from .config import ConfigError, ModelConfig
from .model import Model
from .naming import core_grads_to_torch, torch_to_core

KINDS = {1: "rnn", 3: "gru", 4: "lstm"}          # gate blocks → module
MODULES = {"rnn": "nn.RNN", "gru": "nn.GRU", "lstm": "nn.LSTM"}
NONLINEARITIES = ("tanh", "relu")
_KEY = re.compile(r"^(?P<prefix>(?:.*\.)?)(?P<what>weight|bias)_(?P<mat>ih|hh|hr)_l(?P<l>\d+)(?P<rev>_reverse)?$")
_HEADS = ("head", "fc")


class TorchImportError(ValueError):
    """A weights file is not a usable PyTorch RNN/GRU/LSTM state_dict."""


@dataclass(frozen=True)
class Imported:
    """A model built from a PyTorch state_dict, and how its names map back."""
    model: Model
    kind: str                 # 'rnn' | 'gru' | 'lstm' (the PyTorch module)
    nonlinearity: str         # nn.RNN's tanh or relu ('tanh' for GRU / LSTM, unused)
    input_size: int
    hidden_size: int
    num_layers: int
    bidirectional: bool
    bias: bool                # False: the module had bias=False
    prefix: str               # prefix of the recurrent keys ('' or e.g. 'lstm.')
    head: str | None          # key prefix of the Linear head ('fc.', 'head.', ...) or None: identity
    head_bias: bool
    source: str = ""          # the file read

    @property
    def module(self) -> str:
        return MODULES[self.kind]

    def describe(self) -> str:
        nl = f", nonlinearity={self.nonlinearity!r}" if self.kind == "rnn" else ""
        head = f", head {self.head}weight {tuple(self.model.params['head.W'].shape[::-1])}" if self.head else ", no head"
        return (f"{self.module}(input_size={self.input_size}, hidden_size={self.hidden_size}, "
                f"num_layers={self.num_layers}, bidirectional={self.bidirectional}, bias={self.bias}{nl}){head}")

    def torch_keys(self) -> list[str]:
        """The keys of the file, in PyTorch's order."""
        keys = []
        for l in range(self.num_layers):
            for d in range(2 if self.bidirectional else 1):
                sfx = f"_l{l}" + ("_reverse" if d else "")
                names = ("weight_ih", "weight_hh") + (("bias_ih", "bias_hh") if self.bias else ())
                keys += [f"{self.prefix}{w}{sfx}" for w in names]
        if self.head:
            keys.append(f"{self.head}weight")
            if self.head_bias:
                keys.append(f"{self.head}bias")
        return keys

    def grads_to_torch(self, grads: dict) -> dict[str, np.ndarray]:
        """Core gradients (``Model.params`` names) → gradients named as in the file."""
        out = {}
        for l in range(self.num_layers):
            for d in range(2 if self.bidirectional else 1):
                base = f"rnn.l{l}.{'bwd' if d else 'fwd'}."
                g = {k[len(base):]: v for k, v in grads.items() if k.startswith(base)}
                sfx = f"_l{l}" + ("_reverse" if d else "")
                for w, v in core_grads_to_torch(self.kind, g).items():
                    if self.bias or not w.startswith("bias"):
                        out[f"{self.prefix}{w}{sfx}"] = v
        if self.head:
            out[f"{self.head}weight"] = grads["head.W"].T.copy()
            if self.head_bias:
                out[f"{self.head}bias"] = grads["head.b"].copy()
        return out


def read_state_dict(path) -> dict[str, np.ndarray]:
    """The arrays of a .safetensors or .npz file (never unpickles anything)."""
    from .fileio import FileProblem, check_regular
    path = Path(path)
    try:
        check_regular(path)            # a FIFO would block, /dev/zero never ends
    except FileProblem as e:
        raise TorchImportError(f"weights file {str(path)!r}: {e.problem}") from None
    suffix = path.suffix.lower()
    if suffix in (".pt", ".pth", ".bin", ".ckpt"):
        raise TorchImportError(
            f"weights file {str(path)!r}: {suffix} files are pickles, which are never loaded; save the state_dict "
            "with safetensors (from safetensors.torch import save_file; save_file(model.state_dict(), "
            "'weights.safetensors')) or as .npz")
    try:
        if suffix == ".safetensors":
            from safetensors.numpy import load_file
            state = load_file(str(path))
        elif suffix == ".npz":
            import zipfile
            from .fileio import npz_size_problem
            if not zipfile.is_zipfile(path):
                raise TorchImportError(f"weights file {str(path)!r} cannot be read: not an .npz archive (not a zip file)")
            problem = npz_size_problem(path)
            if problem:
                raise TorchImportError(f"weights file {str(path)!r}: {problem}")
            with np.load(path, allow_pickle=False) as z:
                state = {k: z[k] for k in z.files}
        else:
            raise TorchImportError(f"weights file {str(path)!r}: expected a .safetensors or .npz file")
    except TorchImportError:
        raise
    except Exception as e:  # safetensors' own errors, BadZipFile, pickled arrays, bfloat16 ...
        msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise TorchImportError(f"weights file {str(path)!r} cannot be read: {msg}") from None
    return state


def load_torch_weights(path, nonlinearity: str | None = None, dtype: str = "float64",
                       output: str = "linear") -> Imported:
    """Read a PyTorch RNN/GRU/LSTM state_dict file and build the equivalent Model."""
    try:
        imp = from_state_dict(read_state_dict(path), nonlinearity, dtype, output)
    except TorchImportError as e:
        msg = str(e)
        if not msg.startswith("weights file"):
            raise TorchImportError(f"weights file {str(path)!r}: {msg}") from None
        raise
    return replace(imp, source=str(path))


def from_state_dict(state: dict, nonlinearity: str | None = None, dtype: str = "float64",
                    output: str = "linear") -> Imported:
    """Build a Model from a state_dict given as arrays (see the module docstring)."""
    state = {str(k): np.asarray(v) for k, v in state.items()}
    parsed = {}
    for k in state:
        m = _KEY.match(k)
        if m:
            parsed[k] = m
    if not parsed:
        if {"weight_ih", "weight_hh"} <= set(state) or any(k.endswith((".weight_ih", ".weight_hh")) for k in state):
            raise TorchImportError("an nn.RNNCell / nn.GRUCell / nn.LSTMCell state_dict (keys weight_ih, weight_hh) "
                                   "is not supported: save an nn.RNN / nn.GRU / nn.LSTM instead")
        raise TorchImportError("not the state_dict of an nn.RNN, nn.GRU or nn.LSTM: no key like 'weight_ih_l0' "
                               f"(keys: {_list(state)})")
    if any(m["mat"] == "hr" for m in parsed.values()):
        raise TorchImportError("nn.LSTM with proj_size > 0 (keys weight_hr_l*) is not supported")
    prefixes = sorted({m["prefix"] for m in parsed.values()})
    if len(prefixes) > 1:
        raise TorchImportError(f"recurrent keys must belong to one module, found prefixes {prefixes}")
    prefix = prefixes[0]
    layers = sorted({int(m["l"]) for m in parsed.values()})
    if layers != list(range(len(layers))):
        raise TorchImportError(f"layers must be numbered 0 to L-1, found l{', l'.join(map(str, layers))}")
    L = len(layers)
    bidirectional = any(m["rev"] for m in parsed.values())
    dirs = 2 if bidirectional else 1
    bias = any(m["what"] == "bias" for m in parsed.values())

    def need(name):
        if name not in state:
            raise TorchImportError(f"missing key {name!r} (a {'bidirectional ' if bidirectional else ''}"
                                   f"{L}-layer module{'' if bias else ' without biases'} needs {_list(expected)})")
        a = state[name]
        if not np.issubdtype(a.dtype, np.floating):
            raise TorchImportError(f"{name!r} must hold floating-point numbers, got {a.dtype}")
        if not np.all(np.isfinite(a)):
            raise TorchImportError(f"{name!r} holds NaN or Inf")
        return a

    expected = []
    for l in range(L):
        for d in range(dirs):
            sfx = f"_l{l}" + ("_reverse" if d else "")
            expected += [f"{prefix}{w}{sfx}" for w in ("weight_ih", "weight_hh") + (("bias_ih", "bias_hh") if bias else ())]

    w_hh0 = need(f"{prefix}weight_hh_l0")
    if w_hh0.ndim != 2 or w_hh0.shape[1] == 0 or w_hh0.shape[0] % w_hh0.shape[1]:
        raise TorchImportError(f"'{prefix}weight_hh_l0' must have shape (G·H, H) with G = 1, 3 or 4, got {w_hh0.shape}")
    H = w_hh0.shape[1]
    G = w_hh0.shape[0] // H
    if G not in KINDS:
        raise TorchImportError(f"'{prefix}weight_hh_l0' has shape {w_hh0.shape}: {G} gate blocks of H = {H}; "
                               "nn.RNN has 1, nn.GRU 3, nn.LSTM 4")
    kind = KINDS[G]
    given = nonlinearity
    if nonlinearity is None:
        nonlinearity = "tanh"
    elif nonlinearity not in NONLINEARITIES:
        raise TorchImportError(f"nonlinearity must be one of {', '.join(NONLINEARITIES)}; got {nonlinearity!r}")
    elif kind != "rnn" and nonlinearity != "tanh":
        raise TorchImportError(f"nonlinearity applies to nn.RNN only; the file holds an {MODULES[kind]}")
    w_ih0 = need(f"{prefix}weight_ih_l0")
    if w_ih0.ndim != 2:
        raise TorchImportError(f"'{prefix}weight_ih_l0' must be 2-D (G·H, input_size), got shape {w_ih0.shape}")
    D = w_ih0.shape[1]

    layers_params = {}
    for l in range(L):
        for d in range(dirs):
            sfx = f"_l{l}" + ("_reverse" if d else "")
            d_in = D if l == 0 else H * dirs
            shapes = {"weight_ih": (G * H, d_in), "weight_hh": (G * H, H), "bias_ih": (G * H,), "bias_hh": (G * H,)}
            arrays = {}
            for w, shape in shapes.items():
                if w.startswith("bias") and not bias:
                    arrays[w] = np.zeros(shape)
                    continue
                a = need(f"{prefix}{w}{sfx}")
                if a.shape != shape:
                    raise TorchImportError(f"'{prefix}{w}{sfx}' has shape {a.shape}, expected {shape} for an "
                                           f"{MODULES[kind]} with input_size={D}, hidden_size={H}"
                                           f"{', bidirectional' if bidirectional else ''}")
                arrays[w] = a.astype(np.float64)
            layers_params[(l, d)] = torch_to_core(kind, arrays["weight_ih"], arrays["weight_hh"],
                                                  arrays["bias_ih"], arrays["bias_hh"])

    # the head: a Linear beside the recurrent module
    outer = prefix[: prefix[:-1].rfind(".") + 1] if prefix else ""
    head = None
    for name in _HEADS:
        if f"{outer}{name}.weight" in state:
            if head is not None:
                raise TorchImportError(f"two heads: '{head}weight' and '{outer}{name}.weight'; keep one")
            head = f"{outer}{name}."
    if head is None and any(f"{outer}{n}.bias" in state for n in _HEADS):
        raise TorchImportError(f"a head bias without its weight: add '{outer}head.weight' or remove the bias")
    F = H * dirs
    if head is not None:
        W = need(f"{head}weight")
        if W.ndim != 2 or W.shape[1] != F:
            raise TorchImportError(f"'{head}weight' has shape {W.shape}, expected (output_size, {F}) "
                                   f"(the recurrent module outputs {F} features)")
        O = W.shape[0]
        head_bias = f"{head}bias" in state
        hb = need(f"{head}bias") if head_bias else np.zeros(O)
        if hb.shape != (O,):
            raise TorchImportError(f"'{head}bias' has shape {hb.shape}, expected ({O},)")
        head_W, head_b = W.T.astype(np.float64), hb.astype(np.float64)
    else:
        if output != "linear":
            raise TorchImportError(f"output {output!r} needs a head (keys 'head.weight' or 'fc.weight'); "
                                   "without one the outputs are the hidden states, output 'linear'")
        O, head_bias = F, False
        head_W, head_b = np.eye(F), np.zeros(F)

    used = set(expected) | ({f"{head}weight"} | ({f"{head}bias"} if head_bias else set()) if head else set())
    extra = sorted(set(state) - used)
    if extra:
        raise TorchImportError(f"unexpected key(s) {_list(extra)}: only an nn.RNN / nn.GRU / nn.LSTM and an "
                               "optional Linear head named 'head' or 'fc' can be imported")

    try:
        cfg = ModelConfig(cell=kind, input_size=D, hidden_size=H, num_layers=L, bidirectional=bidirectional,
                          shape="many-to-many", output=output, output_size=O,
                          activation=nonlinearity if kind == "rnn" else "tanh",
                          reset_after=kind == "gru", dtype=dtype)
    except ConfigError as e:
        raise TorchImportError(str(e)) from None
    if kind == "rnn" and given is None:          # asked last, so that every other problem is named first
        raise TorchImportError("it holds an nn.RNN, whose state_dict does not record its nonlinearity: pass "
                               "nonlinearity='tanh' or 'relu' (--nonlinearity on the command line); the wrong "
                               "one gives wrong outputs without any error")
    model = Model(cfg, rng=0)
    params = {"head.W": head_W, "head.b": head_b}
    for (l, d), p in layers_params.items():
        for k, v in p.items():
            params[f"rnn.l{l}.{'bwd' if d else 'fwd'}.{k}"] = v
    model.load_state_dict(params)
    return Imported(model, kind, nonlinearity, D, H, L, bidirectional, bias, prefix, head, head_bias)


def _list(keys, n=8):
    keys = list(keys)
    shown = ", ".join(keys[:n])
    return shown + (f" ... ({len(keys)} in all)" if len(keys) > n else "") if keys else "none"


def outputs_backward(model: Model, x, G, lengths=None, y=None):
    """Gradients of sum(G · ŷ) for the model's outputs ŷ (``Model.predict``, batch-first).

    ŷ are probabilities for softmax / sigmoid outputs and values for linear ones
    (for an imported PyTorch module without head: its ``output``). G has ŷ's
    shape; entries at padded steps (t ≥ T_x(i)) are ignored. Returns
    (ŷ, grads by ``Model.params`` name, ∂/∂x or None for token inputs).
    """
    from .inputs import InputError
    from .model import _squeeze_steps, output_activation
    fwd = model.forward(x, lengths, y)
    p = output_activation(model.config.output, fwd.logits)              # (T_y, N, O)
    yhat = _squeeze_steps(model, p.transpose(1, 0, 2))
    G = np.asarray(G, dtype=np.float64)
    if G.shape != yhat.shape:
        raise InputError(f"G must have the outputs' shape {yhat.shape}, got {G.shape}")
    if not np.all(np.isfinite(G)):
        raise InputError("G contains NaN or Inf")
    Gt = (G[:, None] if G.ndim == 2 else G).transpose(1, 0, 2).astype(model.dtype)   # (T_y, N, O)
    if fwd.mask is not None and model.config.shape == "many-to-many":
        Gt = Gt * fwd.mask
    kind = model.config.output
    if kind == "softmax":      # ∂/∂z Σ G·softmax(z) = p ⊙ (G − Σ_k G_k p_k)
        dlogits = p * (Gt - np.sum(Gt * p, axis=-1, keepdims=True))
    elif kind == "sigmoid":    # σ' = σ(1 − σ)
        dlogits = Gt * p * (1 - p)
    else:
        dlogits = Gt
    grads, _, dx = model.backward(fwd, np.ascontiguousarray(dlogits))
    return yhat, grads, dx
