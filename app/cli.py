"""The ``rnnscope`` command: with no sub-command the window opens."""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from .gui import run_gui
    return run_gui(argv)


if __name__ == "__main__":
    sys.exit(main())
