"""The cache in the project cannot run code: entries are plain JSON data, a planted pickle is a miss."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

from celery_fix.engine.cache import ResultCache

RETRYING = "from celery import shared_task\n\n@shared_task(autoretry_for=(IOError,))\ndef sync():\n    pass\n"


class Boom:
    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_round_trip(tmp_path):
    cache = ResultCache(tmp_path, "fp")
    key = cache.key("a.py", b"x = 1\n")
    cache.put(key, {"answer": 42})
    assert ResultCache(tmp_path, "fp").get(key) == {"answer": 42}


def test_a_planted_pickle_is_never_loaded(tmp_path):
    cache = ResultCache(tmp_path, "fp")
    key = cache.key("a.py", b"x = 1\n")
    cache.put(key, "real")
    entry = cache.directory / key[:2] / key
    bomb = Boom()
    bomb.marker = tmp_path / "pwned"
    for planted in (pickle.dumps(bomb), b'{"c": "Boom", "m": "os", "v": {}}'):
        entry.write_bytes(planted)
        assert cache.get(key) is None
        assert not bomb.marker.exists()


def test_a_run_over_a_planted_cache_runs_no_code(tmp_path):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "tasks.py").write_text(RETRYING)
    cli = [sys.executable, "-m", "celery_fix", str(tmp_path)]
    first = subprocess.run(cli, capture_output=True, text=True)
    entries = [p for p in (tmp_path / ".celery-fix-cache").rglob("*") if p.is_file() and len(p.name) == 40]
    assert entries, first.stderr
    bomb = Boom()
    bomb.marker = tmp_path / "pwned"
    for entry in entries:
        entry.write_bytes(pickle.dumps(bomb))
    second = subprocess.run(cli, capture_output=True, text=True)
    assert not bomb.marker.exists()
    assert second.returncode == first.returncode == 1 and second.stdout == first.stdout
