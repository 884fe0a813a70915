"""rnncore: recurrent networks in NumPy, with every internal exposed.

Never imports Qt. See README.md ("Using rnncore from Python") for the API.
"""
from .config import ConfigError, ModelConfig, TrainConfig
from .data import Batch
from .inputs import InputError
from .model import Model

__all__ = ["Batch", "ConfigError", "InputError", "Model", "ModelConfig", "TrainConfig"]
