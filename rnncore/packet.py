"""What a training session (rnncore.session) sends up to the window: one :class:`Packet`
says everything in its fields. Plain data: it crosses from the child process to the GUI."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Packet:
    """What goes up to the GUI. Every field but ``playing`` is optional."""
    playing: bool = False
    steps: np.ndarray | None = None          # (n,) step numbers of the steps since the last packet
    loss: np.ndarray | None = None           # (n,) L of each of those steps
    grad_norm: np.ndarray | None = None      # (n,) ‖g‖ before clipping
    grad_norm_clipped: np.ndarray | None = None   # (n,) ‖g‖ after clipping
    clipped: np.ndarray | None = None        # (n,) bool
    snapshot: object = None                  # newest Snapshot, its ``trace`` = the newest trace
    trace: object = None                     # newest Trace of the display example (N = 1)
    example: object = None                   # the display example (Batch, N = 1) when it changed
    metrics: dict | None = None              # task.evaluate(model), evaluated off the training path
    metrics_step: int | None = None          # the step whose weights ``metrics`` are of
    evaluating: bool | None = None           # True: an evaluation began; False: it ended (None: no news)
    weights: dict | None = None              # copies of the model's parameters
    rate: float = 0.0                        # optimizer steps per second since the last packet
    reset: bool = False                      # a new run began: drop everything shown
    history: dict | None = None              # History.to_state() at a reset (opened runs have a past)
    step: int = 0                            # optimizer steps taken so far
    lr: float | None = None
    clip: tuple | None = None                # (mode, threshold)
    message: str | None = None               # words for the status bar (divergence, a refused value ...)
    diverged: str | None = None              # training paused because of this (NaN/Inf), in words
    error: str | None = None                 # traceback text of an exception in the trainer
    reply: tuple | None = None               # (request name, value): answer to a request (save, phase)
    stopped: bool = False                    # the loop ended; nothing will follow
    acked: int = 0                           # commands processed so far (the GUI trusts ``playing``
                                             # only once every command it sent is processed)
    source: str | None = None                # which session (a race's cell); None for a lone run
    reached: str | None = None               # play paused itself at the step budget or the task's target, in words
    budget: int | None = None                # play pauses itself at this step (None: it never does)

    @property
    def n(self) -> int:
        return 0 if self.steps is None else len(self.steps)
