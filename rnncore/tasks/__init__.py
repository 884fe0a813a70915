"""Toy tasks, each one making a lesson of the notes happen (see README, "Tasks")."""
from .base import TASKS, Task, Vocab, make_task, register
from . import adding  # noqa: F401  (sequence tasks)
from . import userdata  # noqa: F401
from . import lm  # noqa: F401
from . import exploding  # noqa: F401
from . import melody  # noqa: F401
from . import dates  # noqa: F401
from . import agreement  # noqa: F401  (word tasks: agreement)
from . import names  # noqa: F401  (names, teddy)
from . import sentiment  # noqa: F401
from . import code  # noqa: F401  (raw characters of Python source)

__all__ = ["TASKS", "Task", "Vocab", "make_task", "register"]
