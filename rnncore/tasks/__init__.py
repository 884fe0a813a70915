"""Toy tasks, each one making a lesson of the notes happen (see README, "Tasks")."""
from .base import TASKS, Task, Vocab, make_task, register

__all__ = ["TASKS", "Task", "Vocab", "make_task", "register"]
