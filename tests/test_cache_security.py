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


def _entry_with(field: str, value) -> bytes:
    """A FileResult entry holding one finding, its `field` set to the JSON `value`."""
    import json

    from celery_fix.engine import plain
    from celery_fix.engine.model import FileResult, Finding

    finding = Finding("a.py", 3, 1, "CEL101", "name", "message", "warning", None)
    data = json.loads(plain.dumps(FileResult("a.py", findings=[finding], fixed=b"x")))
    target = data["v"]["findings"][0]["v"] if field in target_fields(Finding) else data["v"]
    target[field] = value
    return json.dumps(data).encode()


def target_fields(cls) -> set[str]:
    import dataclasses

    return {f.name for f in dataclasses.fields(cls)}


def test_an_entry_of_the_wrong_types_is_refused():
    import pytest

    from celery_fix.engine import plain
    from celery_fix.engine.model import FileResult

    assert plain.loads(_entry_with("line", 7), FileResult).findings[0].line == 7
    assert plain.loads(_entry_with("fix", None), FileResult).findings[0].fix is None  # `str | None`
    assert plain.loads(_entry_with("fixed", None), FileResult).fixed is None
    for field, value in [
        ("line", "7"), ("line", 7.5), ("line", None), ("fix", 3), ("path", {"b": "a.py"}),
        ("fixed", "text"), ("findings", {"t": []}), ("findings", [1]), ("internal_error", 0),
        ("encoding", None),
    ]:
        with pytest.raises(plain.PlainError):
            plain.loads(_entry_with(field, value), FileResult)


def test_typed_containers_are_checked_item_by_item():
    from celery_fix.engine import plain

    check = plain._checker(dict[str, tuple[int, ...]])
    assert check({"a": (1, 2)}) and check({})
    assert not check({"a": (1, "2")}) and not check({1: (1,)}) and not check([("a", (1,))])
    pair = plain._checker(tuple[str, int])
    assert pair(("a", 1)) and not pair(("a", 1, 2)) and not pair(("a", "1"))
    number = plain._checker(float)
    assert number(1) and number(1.5) and not number(True) and not number("1")
    assert plain._checker(int | None)(None) and not plain._checker(int | None)("x")
    assert plain._checker(frozenset[str])(frozenset({"a"})) and not plain._checker(frozenset[str])({"a"})


def test_the_cache_goes_where_the_environment_says(tmp_path, monkeypatch, capsys):
    """CELERY_FIX_CACHE_DIR (bench/run.py sets it): the project gets no `.celery-fix-cache`."""
    from celery_fix.run import RunOptions, execute

    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    project.mkdir()
    (project / "pyproject.toml").write_text("")
    (project / "tasks.py").write_text(RETRYING)
    monkeypatch.setenv("CELERY_FIX_CACHE_DIR", str(elsewhere))
    monkeypatch.chdir(project)
    outputs = []
    for _ in range(2):
        code = execute(RunOptions(paths=(Path("."),)))
        outputs.append((code, capsys.readouterr().out))
    assert outputs[0] == outputs[1] and outputs[0][0] == 1
    assert not (project / ".celery-fix-cache").exists()
    assert any(p.name.startswith("linked-index-") for p in elsewhere.rglob("*"))


def test_a_real_index_and_results_round_trip_exactly(tmp_path):
    """The decoder's fast paths (scalars, `X | None`, per-class layouts) give back what was stored."""
    from pathlib import Path

    from celery_fix.config import Config
    from celery_fix.discover import discover
    from celery_fix.engine import plain
    from celery_fix.engine.cache_key import canonical_json
    from celery_fix.engine.model import FileResult, Finding
    from celery_fix.index.build import build_index

    shop = Path(__file__).resolve().parent.parent / "examples" / "shop"
    index = build_index(discover([shop], Config(root=shop)).files, shop)
    again = plain.loads(plain.dumps(index))
    assert canonical_json(again) == canonical_json(index) and again == index
    result = FileResult("a.py", findings=[Finding("a.py", 3, 1, "CEL101", "n", "m", "warning", "safe", note=None)],
                        fixed=b"x", error=None, parsed=True)
    assert plain.loads(plain.dumps(result), FileResult) == result
