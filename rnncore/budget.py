"""What a model costs before it is built: parameter shapes, an estimate of the memory
training needs, and a check against the memory this process can have.

``rnnscope train --hidden 8192 --layers 16`` once allocated gigabytes and died with a
MemoryError traceback; now it is refused up front with the estimate.
"""
from __future__ import annotations

import math
import resource

import numpy as np

from .config import ModelConfig


def param_shapes(config: ModelConfig) -> dict[str, tuple[int, ...]]:
    """``Model(config).params`` names and shapes, without allocating the arrays."""
    from .cells import make_cell
    from .model import _with_hidden
    c, shapes = config, {}
    if c.vocab_size and c.embedding_dim:
        shapes["embed.E"] = (c.vocab_size, c.embedding_dim)
    d_in = c.embedding_dim or c.vocab_size or c.input_size
    if c.shape == "one-to-many":
        d_in = c.input_size + c.output_size

    def stack(prefix, cell_config, d_in, bidirectional):
        cell, dirs = make_cell(cell_config), 2 if bidirectional else 1
        for l in range(c.num_layers):
            D = d_in if l == 0 else cell.H * dirs
            for d in range(dirs):
                for name, shape in cell.param_shapes(D).items():
                    shapes[f"{prefix}.l{l}.{'bwd' if d else 'fwd'}.{name}"] = tuple(shape)

    if c.shape == "encoder-decoder":
        stack("enc", c, d_in, c.bidirectional)
        stack("dec", _with_hidden(c, c.features), c.output_size, False)
    else:
        stack("rnn", c, d_in, c.bidirectional)
    shapes["head.W"] = (c.features, c.output_size)
    shapes["head.b"] = (c.output_size,)
    return shapes


def n_params(config: ModelConfig) -> int:
    return sum(math.prod(s) for s in param_shapes(config).values())


def run_file_bytes(config: ModelConfig) -> int:
    """About the size of a saved run: weights and up to two optimizer slots."""
    return 3 * n_params(config) * np.dtype(config.dtype).itemsize + (1 << 20)


def training_bytes(config: ModelConfig, batch_size: int, steps: int) -> int:
    """About the memory one training step takes: the weights, their gradients, the
    optimizer's slots, the rollback copies and a save (≈ 7 copies of the weights),
    plus every step's cached gates and states for backpropagation through time."""
    c, item = config, np.dtype(config.dtype).itemsize
    dirs = 2 if c.bidirectional else 1
    gates = {"rnn": 1, "gru-simple": 2, "gru": 3, "lstm": 4}[c.cell]
    per_step = c.num_layers * dirs * c.hidden_size * (2 * gates + 4) + 3 * c.output_size
    parts = 2 if c.shape == "encoder-decoder" else 1
    steps = max(1, steps) + (c.target_length if c.shape in ("one-to-many", "encoder-decoder") else 0)
    return 7 * n_params(c) * item + parts * batch_size * steps * per_step * item


def available_bytes() -> int | None:
    """Memory this process may still take: the smaller of the machine's available
    memory and the headroom under an address-space limit (ulimit -v); None if unknown."""
    limits = []
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    limits.append(int(line.split()[1]) * 1024)
    except (OSError, ValueError):
        pass
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY:
        used = 0
        try:
            with open("/proc/self/status") as f:
                for line in f:
                    if line.startswith("VmSize:"):
                        used = int(line.split()[1]) * 1024
        except (OSError, ValueError):
            pass
        limits.append(max(0, soft - used))
    return min(limits) if limits else None


def gib(n: int) -> str:
    return f"{n / 2**30:,.1f} GiB" if n >= 2**28 else f"{n / 2**20:,.0f} MiB"


def fit_problem(config: ModelConfig, batch_size: int, steps: int) -> str | None:
    """Why training ``config`` on batches of ``batch_size`` sequences of ``steps`` steps
    would not fit in memory, in words with the estimate; None if it fits (or is unknown)."""
    need = training_bytes(config, batch_size, steps)
    have = available_bytes()
    if have is None or need <= have:
        return None
    return (f"the model would need about {gib(need)} to train ({n_params(config):,} parameters, "
            f"batches of {batch_size} × {steps} steps) but about {gib(have)} is available; "
            "choose a smaller --hidden, --layers or --batch")
