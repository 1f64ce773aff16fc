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
    after = _repository_state()
    new = sorted(after[0] - before[0])
    changed = sorted(d for d, mtime in after[1].items() if before[1].get(d) != mtime)
    if new or changed:
        pytest.fail(f"the test wrote into the repository: new {new}, changed cache directories {changed}")
