"""Which files are test code (RULES.md, "Test code"): their settings and schedules are fixtures,
so the settings rules do not report there."""

from __future__ import annotations

import os
import re

_TEST_DIRS = frozenset({"tests", "test", "testing"})
# settings modules used only by tests: `settings/test.py`, `test_settings.py`, `settings_test.py`,
# `settings/testing.py`, `ci_test_settings.py`
_TEST_SETTINGS = re.compile(r"(^|_)(tests?|testing)(_|$)")


def is_test_path(path: str | None) -> bool:
    """Whether the file at `path` is test code: under a `tests/`/`test/` directory, a
    `test_*.py`/`*_test.py`/`*_tests.py`/`tests.py`/`conftest.py` module, or a test settings module."""
    if not path:
        return False
    parts = re.split(r"[\\/]+", os.path.normpath(path))
    name = parts[-1]
    stem = name[:-3] if name.endswith(".py") else name
    if name == "conftest.py" or stem in ("tests", "test") or stem.startswith("test_"):
        return True
    if stem.endswith(("_test", "_tests")):
        return True
    if any(part in _TEST_DIRS for part in parts[:-1]):
        return True
    in_settings = len(parts) > 1 and parts[-2] in ("settings", "config", "conf")
    return bool(_TEST_SETTINGS.search(stem)) and (in_settings or "settings" in stem)
