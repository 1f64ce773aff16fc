"""Which files a run indexes: the whole project around the named paths (celery_fix/project.py),
while only the named files are checked and reported."""

from __future__ import annotations

import os
from pathlib import Path

from celery_fix.config import Config
from celery_fix.discover import discover
from celery_fix.project import project_root, spelled_like


def index_files(checked: list[Path], paths: list[Path], config: Config) -> tuple[list[Path], bool]:
    """The files to index and whether they are the whole project (`ProjectIndex.complete`).
    Checked files keep their own spelling in the list, so the index and the engine name each
    file alike; files outside any project are indexed as named (the index is then partial)."""
    root = project_root(paths)
    if root is None:
        return list(checked), False
    if any(os.path.abspath(p) == os.path.abspath(root) for p in paths):
        return list(checked), True  # the run names the project itself: its files are the project's
    project = discover([spelled_like(root, paths)], config).files
    named = {os.path.abspath(p): p for p in checked}
    files = [named.pop(os.path.abspath(p), p) for p in project]
    return files + list(named.values()), True
