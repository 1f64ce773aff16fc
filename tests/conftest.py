import sys
from pathlib import Path

# tests import their small helpers (snapshot_harness) as top-level modules
sys.path.insert(0, str(Path(__file__).resolve().parent))

import os

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent
CACHE_NAME = ".celery-fix-cache"
# what tools other than celery-fix leave in the working directory (pytest, hypothesis, ruff)
_TOOL_DIRS = {".hypothesis", ".pytest_cache", ".ruff_cache", "__pycache__", ".benchmarks"}


def _repository_state() -> tuple[frozenset[str], dict[str, int]]:
    """The repository root's entries, and the mtime of every directory of a celery-fix cache in
    the root or an example project (a new or rewritten entry changes its directory's mtime)."""
    entries = frozenset(os.listdir(REPOSITORY)) - _TOOL_DIRS
    examples = REPOSITORY / "examples"
    tops = [REPOSITORY / CACHE_NAME, *(d / CACHE_NAME for d in examples.iterdir() if d.is_dir())]
    mtimes = {}
    for top in tops:
        for directory, subdirs, _ in os.walk(top):
            mtimes[directory] = os.stat(directory).st_mtime_ns
    return entries, mtimes


@pytest.fixture(autouse=True)
def _no_writes_into_the_repository():
    """A test runs celery-fix on a tmp copy, with --no-cache or CELERY_FIX_CACHE_DIR: never a
    cache, nor any other file, in the repository's own tree."""
    before = _repository_state()
    yield
    problem = _written(before, _repository_state())
    if problem:
        pytest.fail(f"the test wrote into the repository: {problem}")


def _written(before, after) -> str | None:
    new = sorted(after[0] - before[0])
    changed = sorted(d for d, mtime in after[1].items() if before[1].get(d) != mtime)
    return f"new {new}, changed cache directories {changed}" if new or changed else None


_SESSION_START: list = []


def pytest_sessionstart(session):
    _SESSION_START.append(_repository_state())


def pytest_sessionfinish(session, exitstatus):
    """Module- and session-scoped fixtures run outside the per-test guard: the whole session is
    checked once more, and fails if they wrote into the repository."""
    if _SESSION_START:
        problem = _written(_SESSION_START[0], _repository_state())
        if problem:
            session.config.get_terminal_writer().line(f"\nthe test session wrote into the repository: {problem}", red=True)
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
