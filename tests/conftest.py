"""Hypothesis explores new examples on every developer run; in CI (CI=true) it replays
a fixed, derandomized set, so a landing never depends on the luck of the draw."""
import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


import pytest  # noqa: E402


@pytest.fixture
def chinese(qapp):
    """The interface in Simplified Chinese for one test (app/i18n.py), English again after it."""
    from app import i18n
    assert i18n.install("zh_CN", qapp)
    yield
    i18n.install("en", qapp)
