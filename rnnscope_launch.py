"""The installed ``rnnscope`` command (pyproject's [project.scripts]).

RNN Scope's Qt package is called ``app`` (the source layout the design fixes), and
``app`` is a common name: run from a folder that has its own ``app/`` on the path
(``PYTHONPATH=.``), ``import app.cli`` found that project's package instead. This
module has a name no other project uses, and it puts the folder it was installed in
(beside this ``app``) first on the path before importing, so the command always runs
its own ``app``. If something still shadows it, one line says which file.
"""
import os
import sys


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    if sys.path[:1] != [here]:
        sys.path.insert(0, here)
    try:
        from app.cli import main as cli_main
    except ImportError as e:
        shadow = sys.modules.get("app")
        where = getattr(shadow, "__file__", None) or "another package"
        print(f"rnnscope: cannot start: the package 'app' was found at {where}, not RNN Scope's in {here} ({e})",
              file=sys.stderr)
        return 2
    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
