"""Write the Chinese of zh_CN.py into the .ts that pyside6-lupdate made (``make translations``
runs it between lupdate and lrelease). A source without a translation stays "unfinished" and
tests/test_translations.py fails; a translation whose {placeholders} differ from its source's
is refused here."""
from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from zh_CN import ZH  # noqa: E402


def fill(ts_path: str) -> int:
    """→ the number of messages left without a translation."""
    tree = ET.parse(ts_path)
    missing = 0
    for ctx in tree.getroot().iter("context"):
        name = ctx.findtext("name")
        for m in ctx.iter("message"):
            src = m.findtext("source")
            zh = ZH.get(f"{name}|{src}", ZH.get(src))
            t = m.find("translation")
            if zh is None:
                missing += 1
                print(f"untranslated: [{name}] {src!r}", file=sys.stderr)
                continue
            if sorted(re.findall(r"\{\w*\}", zh)) != sorted(re.findall(r"\{\w*\}", src)):
                raise SystemExit(f"placeholders differ: [{name}] {src!r} → {zh!r}")
            t.text = zh
            t.attrib.pop("type", None)
    ET.indent(tree)
    with open(ts_path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(f, encoding="unicode")
        f.write("\n")
    return missing


if __name__ == "__main__":
    sys.exit(1 if fill(sys.argv[1]) else 0)
