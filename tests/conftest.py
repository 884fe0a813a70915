"""Hypothesis explores new examples on every developer run; in CI (CI=true) it replays
a fixed, derandomized set, so a landing never depends on the luck of the draw."""
import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
