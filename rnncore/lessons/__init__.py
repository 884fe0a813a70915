"""Lessons: a guided course through the notes (seed/DIGEST.md), as data.

Each lesson is one JSON file in ``content/`` (``NN_slug.json``), every text in
English (``en``) and Simplified Chinese (``zh_CN``), in the notes' notation:

- ``title``, ``section`` (the notes' §), ``paragraphs``;
- ``preset``: what the app trains, in the CLI's terms: ``task`` and its
  ``options`` (``rnnscope train --option``), ``model`` (ModelConfig fields, e.g.
  ``cell``), ``train`` (TrainConfig fields, e.g. ``clip``, ``seed``), ``steps`` (the
  step budget) and ``speed`` (steps per second in the window, 0 = full speed);
  ``compare`` (optional) is a second model trained beside it (the race), given as
  overrides of ``model`` and ``train``;
- ``look``: steps of the script, each one action with its text:
  ``{"do": "highlight", "panel": P}``, ``{"do": "cursor", "t": T}``,
  ``{"do": "phase", "phase": forward|loss|backprop|clip|update}``, or
  ``{"do": "none"}`` (only text);
- ``question``: ``text``, ``check`` (a function of :mod:`.checks`, answered from
  the trained state), ``yes`` (confirming) and ``no`` (explaining) texts, which may
  name the check's values as ``{name}``.

Qt-free: the window, the CLI and the tests read the same lessons.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..config import ConfigError

LANGS = ("en", "zh_CN")
PANELS = ("sequence", "gates", "memory", "loss", "gradients", "flow", "cell", "metrics", "controls")
PHASES = ("forward", "loss", "backprop", "clip", "update")
CONTENT = Path(__file__).with_name("content")


@dataclass(frozen=True)
class Preset:
    task: str
    options: dict = field(default_factory=dict)   # task options (rnnscope train --option key=value)
    model: dict = field(default_factory=dict)     # ModelConfig overrides (cell, hidden_size, ...)
    train: dict = field(default_factory=dict)     # TrainConfig overrides (seed, clip, lr, ...)
    steps: int = 300                              # the step budget the lesson's claim is made for
    speed: float = 0.0                            # steps per second in the window (0: full speed)

    def with_overrides(self, over: dict) -> "Preset":
        """This preset with a ``compare`` entry's changes (model / train / options merged)."""
        return Preset(self.task, {**self.options, **over.get("options", {})},
                      {**self.model, **over.get("model", {})}, {**self.train, **over.get("train", {})},
                      int(over.get("steps", self.steps)), float(over.get("speed", self.speed)))

    def build(self):
        """→ (task, model_config, train_config), exactly as ``rnnscope train`` builds them."""
        from ..tasks import make_task
        task = make_task(self.task, **self.options)
        return task, task.model_config(**self.model), task.train_config(**self.train)

    def cli(self) -> str:
        """The ``rnnscope train`` flags that give this preset (fields without a flag as a comment)."""
        flags = {"cell": "--cell", "hidden_size": "--hidden", "num_layers": "--layers", "lr": "--lr",
                 "seed": "--seed", "batch_size": "--batch", "embedding_dim": "--embedding"}
        out = [f"--task {self.task}"]
        rest = []
        for k, v in {**self.model, **self.train}.items():
            if k in flags:
                out.append(f"{flags[k]} {v}")
            elif k == "bidirectional" and v:
                out.append("--bidirectional")
            elif k == "clip" and v == "none":
                out.append("--no-clip")
            elif k == "clip_threshold" and self.train.get("clip", "norm") == "norm":
                out.append(f"--clip-norm {v}")
            elif k != "clip":
                rest.append(f"{k}={v}")
        out += [f"--option {k}={v}" for k, v in self.options.items()]
        out.append(f"--steps {self.steps}")
        return " ".join(out) + (f"  ({', '.join(rest)})" if rest else "")


@dataclass(frozen=True)
class Lesson:
    number: int          # 1-based, the order of the course
    slug: str            # file name without the number, e.g. "notation"
    section: str         # the notes' section, e.g. "§1.1"
    title: dict          # lang → text
    paragraphs: dict     # lang → [text]
    preset: Preset
    compare: dict | None  # overrides for a model trained beside the preset's, or None
    look: tuple          # ({"do": ..., "text": {lang: ...}, ...}, ...)
    question: dict       # {"text", "check", "yes", "no"}

    def text(self, key: str, lang: str = "en"):
        """A text of this lesson in ``lang`` (English where a translation is missing)."""
        d = getattr(self, key) if key in ("title", "paragraphs") else self.question[key]
        return d.get(lang) or d["en"]

    def compare_preset(self) -> Preset | None:
        return None if self.compare is None else self.preset.with_overrides(self.compare)


def _texts(where, d, many=False):
    if not isinstance(d, dict) or set(d) != set(LANGS):
        raise ConfigError(f"{where} must have texts in {' and '.join(LANGS)}, got {d!r:.80}")
    for lang, v in d.items():
        ok = (isinstance(v, list) and v and all(isinstance(s, str) and s.strip() for s in v)) if many \
            else (isinstance(v, str) and v.strip())
        if not ok:
            raise ConfigError(f"{where} [{lang}] must be {'a list of texts' if many else 'a text'}, got {v!r:.80}")
    return d


def parse_lesson(number: int, slug: str, d: dict) -> Lesson:
    """A lesson from its JSON object; every field is checked, errors name the lesson and field."""
    from . import checks
    where = f"lesson {number} ({slug})"
    if not isinstance(d, dict) or not isinstance(d.get("section"), str) \
            or not isinstance(d.get("preset"), dict) or not isinstance(d["preset"].get("task"), str):
        raise ConfigError(f"{where} needs a section and a preset with a task")
    p = d["preset"]
    preset = Preset(p["task"], p.get("options", {}), p.get("model", {}), p.get("train", {}),
                    int(p.get("steps", 300)), float(p.get("speed", 0.0)))
    look = tuple(d.get("look", ()))
    for i, s in enumerate(look):
        kind = s.get("do")
        if kind not in ("highlight", "cursor", "phase", "none"):
            raise ConfigError(f"{where} look[{i}]: do must be highlight, cursor, phase or none, got {kind!r}")
        if kind == "highlight" and s.get("panel") not in PANELS:
            raise ConfigError(f"{where} look[{i}]: panel must be one of {', '.join(PANELS)}, got {s.get('panel')!r}")
        if kind == "phase" and s.get("phase") not in PHASES:
            raise ConfigError(f"{where} look[{i}]: phase must be one of {', '.join(PHASES)}, got {s.get('phase')!r}")
        if kind == "cursor" and not (isinstance(s.get("t"), int) and s["t"] >= 1):
            raise ConfigError(f"{where} look[{i}]: t must be a time step >= 1, got {s.get('t')!r}")
        _texts(f"{where} look[{i}].text", s.get("text"))
    q = d.get("question") or {}
    for key in ("text", "yes", "no"):
        _texts(f"{where} question.{key}", q.get(key))
    if not hasattr(checks, str(q.get("check"))):
        raise ConfigError(f"{where} question.check must name a function of rnncore.lessons.checks, got {q.get('check')!r}")
    return Lesson(number, slug, d["section"], _texts(f"{where} title", d.get("title")),
                  _texts(f"{where} paragraphs", d.get("paragraphs"), many=True), preset,
                  d.get("compare"), look, q)


def load_lessons(folder: Path | None = None) -> list[Lesson]:
    """Every lesson in ``folder`` (default: the bundled ones), in file-name order."""
    out = []
    for n, path in enumerate(sorted(Path(folder or CONTENT).glob("*.json")), start=1):
        slug = path.stem.split("_", 1)[-1]
        try:
            d = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise ConfigError(f"lesson file {path.name}: {e}") from None
        out.append(parse_lesson(n, slug, d))
    return out


def lesson(number: int) -> Lesson:
    """Lesson ``number`` (1-based); a clear error for one that does not exist."""
    lessons = load_lessons()
    if not 1 <= number <= len(lessons):
        raise ConfigError(f"lesson must be in 1..{len(lessons)}, got {number}")
    return lessons[number - 1]
