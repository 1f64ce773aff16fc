"""The cache in the project cannot run code: entries are signed with a key kept outside the project."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

from celery_fix.engine import cache as cache_module
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
    for planted in (pickle.dumps(bomb), entry.read_bytes()[:9] + b"\0" * 32 + pickle.dumps(bomb)):
        entry.write_bytes(planted)
        assert cache.get(key) is None
        assert not bomb.marker.exists()


def test_an_entry_copied_under_another_key_does_not_verify(tmp_path):
    cache = ResultCache(tmp_path, "fp")
    one, other = cache.key("a.py", b"1\n"), cache.key("b.py", b"2\n")
    cache.put(one, "one")
    target = cache.directory / other[:2] / other
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes((cache.directory / one[:2] / one).read_bytes())
    assert cache.get(other) is None and cache.get(one) == "one"


def test_the_key_is_private_and_outside_the_project(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    monkeypatch.setattr(cache_module, "_KEY", [])
    key = cache_module.signing_key()
    path = cache_module.key_path()
    assert key and path.is_file() and path.stat().st_mode & 0o077 == 0
    assert cache_module.signing_key() == key


def test_no_key_means_no_cache_not_a_failure(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_module, "_KEY", [None])
    cache = ResultCache(tmp_path, "fp")
    cache.put("ab" * 20, "x")
    assert cache.get("ab" * 20) is None and not (tmp_path / ".celery-fix-cache").exists()


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
