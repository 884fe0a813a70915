"""The lesson player (a widget beside the dashboard); the lessons are data in rnncore.lessons."""
from .player import LessonPlayer

__all__ = ["LessonPlayer"]
