"""A tiny training run for the word-level task tests (test_tasks_language.py,
test_task_agreement.py): the model after ``steps`` steps, each of which had to be ok."""
from rnncore.trainer import Trainer


def train_tiny(task, steps, seed=0, **model):
    tr = Trainer.create(task.model_config(**model), task.train_config(seed=seed), task)
    for snap in tr.run(steps):
        pass
    assert snap.ok
    return tr.model
