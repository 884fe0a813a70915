"""Recurrent cells with the notes' equations: the protocol in ``base``, the vanilla RNN in
``rnn``, the LSTM in ``lstm``, the GRUs in ``gru``; :func:`make_cell` builds the one a
ModelConfig asks for."""
from __future__ import annotations

from .base import Buffers, Cell, all_steps, grad_product
from .gru import GRUCell, GRUResetAfterCell, GRUSimpleCell
from .lstm import LSTMCell
from .rnn import RNNCell

__all__ = ["Buffers", "Cell", "GRUCell", "GRUResetAfterCell", "GRUSimpleCell", "LSTMCell", "RNNCell", "all_steps",
           "grad_product", "make_cell"]


def make_cell(config) -> Cell:
    """The cell a :class:`~rnncore.config.ModelConfig` asks for."""
    H = config.hidden_size
    if config.cell == "rnn":
        return RNNCell(H, config.activation)
    if config.cell == "gru-simple":
        return GRUSimpleCell(H)
    if config.cell == "gru":
        return GRUResetAfterCell(H) if config.reset_after else GRUCell(H)
    return LSTMCell(H)
