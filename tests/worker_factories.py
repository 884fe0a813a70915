"""Runs the worker tests build in the child process (imports rnncore only, never Qt)."""
import numpy as np

from rnncore import Batch, ModelConfig, TrainConfig
from rnncore.trainer import ArraySource, Trainer

CFG = ModelConfig(cell="lstm", vocab_size=2, hidden_size=8, shape="many-to-one", output="softmax", output_size=2)


def _copy_task(n=128, T=6):
    x = np.random.default_rng(0).integers(0, 2, (n, T))
    return Batch(x, x[:, 0].copy())


def tiny(spec):
    """A 'copy the first bit' run: fast, deterministic."""
    data = _copy_task()
    return Trainer.create(CFG, TrainConfig(lr=0.02, seed=1, **spec.train), data, display=data.take(0)), None


#: batches drawn by ``counting`` runs (thread mode shares this module with the test)
DRAWN = [0]


class _Counting(ArraySource):
    def batch(self, rng, size):
        DRAWN[0] += 1
        return super().batch(rng, size)


def counting(spec):
    """As ``tiny``, counting the batches it draws in DRAWN: the steps taken, seen without packets."""
    data = _copy_task()
    return Trainer.create(CFG, TrainConfig(lr=0.02, seed=1, **spec.train), _Counting(data), display=data.take(0)), None


class _Boom(Trainer):
    def train_step(self):
        if self.step >= 3:
            raise RuntimeError("boom at step 3 (a test)")
        return super().train_step()


def failing(spec):
    """Raises inside train_step after three good steps."""
    data = _copy_task()
    return _Boom.create(CFG, TrainConfig(seed=1), data, display=data.take(0)), None


def diverging(spec):
    """A learning rate so large the weights become non-finite."""
    data = _copy_task()
    cfg = ModelConfig(cell="rnn", vocab_size=2, hidden_size=8, shape="many-to-one", output="linear", output_size=1,
                      activation="relu")
    data = Batch(data.x, data.y[:, None].astype(float) * 1e200)
    return Trainer.create(cfg, TrainConfig(optimizer="sgd", lr=1e3, clip="none", seed=1), data,
                          display=data.take(0)), None


def qt_free(spec):
    """The tiny run, but refuses to start if the child process has loaded Qt."""
    import sys
    bad = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph"))
    if bad:
        raise RuntimeError(f"the training process imported Qt: {bad[:5]}")
    return tiny(spec)
