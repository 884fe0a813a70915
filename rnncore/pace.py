"""How far ▶ Play goes before it pauses itself: the lesson's step budget (the task's
``default_steps``, the number ``rnnscope train`` takes) or the task's target, whichever
comes first, so the moment of learning stays on screen. Used by rnncore.session."""
from __future__ import annotations


class Pace:
    """The budget and the target stop of one run; ``per`` steps per budget (None: never pause).

    The target stops play only once it turns from unmet to met: a target met from the start
    (the vanilla RNN that is *meant* not to learn adding) never stops play, the budget does.
    """

    def __init__(self, per: int | None, step: int = 0, target: bool = True):
        self.per = int(per) if per else None
        self.budget = None if self.per is None else (self.per if step < self.per else step + self.per)
        self.stop_at_target = self.per is not None and target
        self.unmet_seen = False

    def play(self, step: int):
        """▶ at or past the budget: one more budget."""
        if self.budget is not None and step >= self.budget:
            self.budget = step + self.per

    def keep(self, step: int):
        """"Keep training": one more budget from here, and the target no longer stops play."""
        if self.per is not None:
            self.budget = step + self.per
        self.stop_at_target = False

    def after_step(self, step: int) -> str | None:
        """Words if this step reached the budget."""
        if self.budget is not None and step >= self.budget:
            return f"Reached {step} steps, the lesson's training budget"
        return None

    def after_metrics(self, task, metrics: dict, step: int) -> str | None:
        """Words if the task's target just turned met."""
        if not self.stop_at_target or metrics is None:
            return None
        try:
            met = bool(task.target_reached(metrics))
        except Exception:  # noqa: BLE001 - metrics without the target's keys: no target stop
            return None
        if not met:
            self.unmet_seen = True
            return None
        if not self.unmet_seen:
            return None
        self.stop_at_target = False          # the target stops play once; ▶ then trains on
        return f"Reached the task's target at step {step}"
