"""Guard against the PySide6 6.12.0 + Python 3.11 trap (DESIGN.md): every call of a
Qt method returning nothing dropped None's reference count by one, and the
process aborted with 'none_dealloc' after a few thousand calls."""
import subprocess
import sys
import textwrap


def test_void_qt_calls_do_not_leak_none_references():
    code = textwrap.dedent("""
        import sys
        from PySide6.QtCore import QObject
        obj = QObject()
        before = sys.getrefcount(None)
        for _ in range(300):
            obj.setObjectName("probe")
        drop = before - sys.getrefcount(None)
        print(drop)
        import PySide6
        sys.exit(0 if drop < 100 else 3)
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, (
        "This PySide6 build over-releases None on this Python (the 6.12.0 + 3.11 trap); "
        f"install the versions pyproject.toml declares. Output: {r.stdout}{r.stderr}")


def test_installed_pair_is_one_the_project_allows():
    import PySide6
    major_minor = tuple(int(v) for v in PySide6.__version__.split(".")[:2])
    if sys.version_info < (3, 12):
        assert major_minor < (6, 12), f"PySide6 {PySide6.__version__} on Python 3.11 aborts the process"
