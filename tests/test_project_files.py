"""The project's file list kept between runs (celery_fix/project_files.py): taken from the cache only
while nothing it came from changed."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from celery_fix import project_files as module
from celery_fix.config import Config
from celery_fix.project_files import project_files


@pytest.fixture
def tree(tmp_path, monkeypatch):
    monkeypatch.setenv("CELERY_FIX_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "shop"
    (root / "orders").mkdir(parents=True)
    (root / "manage.py").write_text("")
    (root / "orders" / "tasks.py").write_text("")
    (root / "orders" / "views.py").write_text("")
    (root / ".gitignore").write_text("generated/\n")
    _age(root)
    return root


def _age(root: Path) -> None:
    """Every entry last changed a minute ago: older than the walk's racy window."""
    past = time.time() - 60
    for path in [root, *root.rglob("*")]:
        os.utime(path, (past, past))


def _names(root: Path) -> set[str]:
    return {str(Path(p).relative_to(root)) for p in project_files(root, Config(root=root), use_cache=True)}


def _walks(monkeypatch) -> list[int]:
    walked: list[int] = []
    real = module.discover

    def counting(*args, **kwargs):
        walked.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, "discover", counting)
    return walked


def test_an_unchanged_tree_is_not_walked_again(tree, monkeypatch):
    walked = _walks(monkeypatch)
    first = _names(tree)
    assert first == {"manage.py", "orders/tasks.py", "orders/views.py"}
    assert _names(tree) == first
    assert len(walked) == 1


@pytest.mark.parametrize("change", ["new file", "new directory", "removed file", "renamed file"])
def test_an_added_or_removed_file_is_seen(tree, monkeypatch, change):
    walked = _walks(monkeypatch)
    before = _names(tree)
    orders = tree / "orders"
    if change == "new file":
        (orders / "signals.py").write_text("")
        expected = before | {"orders/signals.py"}
    elif change == "new directory":
        (orders / "api").mkdir()
        (orders / "api" / "views.py").write_text("")
        expected = before | {"orders/api/views.py"}
    elif change == "removed file":
        (orders / "views.py").unlink()
        expected = before - {"orders/views.py"}
    else:
        (orders / "views.py").rename(orders / "api.py")
        expected = before - {"orders/views.py"} | {"orders/api.py"}
    assert _names(tree) == expected
    assert len(walked) == 2


def test_changes_inside_directories_left_out_by_name_do_not_matter(tree, monkeypatch):
    for name in (".git", ".celery-fix-cache", "orders/migrations"):
        (tree / name).mkdir()
    _age(tree)
    walked = _walks(monkeypatch)
    first = _names(tree)
    for name in (".git/index", ".celery-fix-cache/entry", "orders/migrations/0002_more.py"):
        (tree / name).write_text("")  # git, the cache itself and a new migration: the list stands
    assert _names(tree) == first
    assert len(walked) == 1


def test_a_gitignore_edited_in_place_is_seen(tree, monkeypatch):
    (tree / ".git").mkdir()
    _age(tree)
    walked = _walks(monkeypatch)
    assert "orders/views.py" in _names(tree)
    stamp = os.stat(tree)
    (tree / ".gitignore").write_text("generated/\norders/views.py\n")
    os.utime(tree, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # its directory keeps its mtime
    assert "orders/views.py" not in _names(tree)
    assert len(walked) == 2


def test_a_virtualenv_appearing_in_a_directory_is_left_out(tree):
    (tree / "env").mkdir()
    (tree / "env" / "lib.py").write_text("")
    _age(tree)
    assert "env/lib.py" in _names(tree)
    (tree / "env" / "pyvenv.cfg").write_text("")  # changes env/'s mtime, not the root's
    assert "env/lib.py" not in _names(tree)
    _age(tree)
    assert "env/lib.py" not in _names(tree)
    (tree / "env" / "pyvenv.cfg").unlink()
    assert "env/lib.py" in _names(tree)


def test_a_directory_changed_just_before_the_walk_is_not_trusted(tree, monkeypatch):
    (tree / "orders" / "models.py").write_text("")  # `orders/` changed now: within the racy window
    walked = _walks(monkeypatch)
    assert "orders/models.py" in _names(tree)
    assert "orders/models.py" in _names(tree)
    assert len(walked) == 2  # nothing was kept the first time


def test_without_the_cache_the_tree_is_walked_each_time(tree, monkeypatch):
    walked = _walks(monkeypatch)
    for _ in range(2):
        assert project_files(tree, Config(root=tree), use_cache=False)
    assert len(walked) == 2
