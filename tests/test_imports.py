"""rnncore never imports Qt (napari's rule): it must run in a notebook or a CI box."""
import subprocess
import sys


def test_rnncore_loads_no_qt():
    code = ("import sys, rnncore, rnncore.trainer, rnncore.naming; "
            "import importlib, pkgutil; "
            "[importlib.import_module('rnncore.' + m.name) for m in pkgutil.iter_modules(rnncore.__path__)]; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph', 'app')); "
            "print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
