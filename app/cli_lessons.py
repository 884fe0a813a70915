"""``rnnscope lessons``: the course, one line per lesson (number, title, the notes' section).

No Qt. The lessons themselves are data in rnncore/lessons/content/ (see rnncore.lessons)."""
from __future__ import annotations

import json
import unicodedata


def cmd_lessons(args, rest) -> int:
    from rnncore.lessons import load_lessons
    lessons = load_lessons()
    if args.json:
        print(json.dumps([{"number": l.number, "slug": l.slug, "section": l.section,
                           "title": l.text("title", args.lang), "preset": l.preset.cli()}
                          for l in lessons], ensure_ascii=False, indent=2))
        return 0
    titles = [l.text("title", args.lang) for l in lessons]
    width = max(map(_columns, titles))
    for l, title in zip(lessons, titles):
        print(f"{l.number:>2}  {title}{' ' * (width - _columns(title))}  {l.section}")
    return 0


def _columns(text: str) -> int:
    """Terminal columns of ``text``: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
