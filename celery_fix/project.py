"""The project a run belongs to: the directory the ProjectIndex is built from, whatever paths are named.

Cross-file rules (CEL401, CEL70x, CEL80x) must see the whole project even when pre-commit or an
editor names one file, or a one-file run and a full run disagree. The project root is the nearest
directory above the paths with a `pyproject.toml`, `setup.cfg`, `manage.py` or a celery-fix.toml /
.celery-fix.toml, else the git root.
"""

from __future__ import annotations

import os
from pathlib import Path

from celery_fix.config import Config, root_of
from celery_fix.project_files import project_files


def project_root(paths: list[Path]) -> Path | None:
    """One root for all `paths` (their common directory when they lie in different projects).
    None when some path exists outside any project: the run then indexes only what it is given."""
    roots = []
    for path in paths:
        if not path.exists() and not path.parent.is_dir():  # (a new file, e.g. on stdin, has a project)
            continue
        root = root_of(path)
        if root is None:
            return None
        roots.append(root)
    if not roots:
        return None
    return Path(os.path.commonpath([str(r) for r in roots]))


def reached_as(root: Path, paths: list[Path]) -> Path:
    """`root` (resolved) as the named paths reach it: through a symlink above it, the link's
    path, so the project's files are walked in the spelling of the checked ones (once each).
    The first path in the project decides (one realpath, not one per file pre-commit names)."""
    real_root = str(root)
    for path in paths:
        absolute = os.path.abspath(path)
        real = os.path.realpath(absolute)
        if real != real_root and not real.startswith(real_root + os.sep):
            continue
        candidate = absolute
        for _ in range(real[len(real_root) :].count(os.sep)):
            candidate = os.path.dirname(candidate)
        return Path(candidate) if candidate != real_root and os.path.realpath(candidate) == real_root else root
    return root


def spelled_like(root: Path, paths: list[Path]) -> Path:
    """`root` written as the paths are (relative to the working directory, or absolute), so the
    index's file names and the checked files' names are the same strings."""
    if paths and all(not p.is_absolute() for p in paths):
        relative = os.path.relpath(root)
        return Path(relative)
    return root


def index_files(checked: list[Path], paths: list[Path], config: Config, use_cache: bool = False) -> tuple[list[Path], bool]:
    """The files to index and whether they are the whole project (`ProjectIndex.complete`).
    Checked files keep their own spelling in the list, so the index and the engine name each
    file alike; files outside any project are indexed as named (the index is then partial).
    `use_cache`: take the project's file list from the cache while its directories are unchanged."""
    root = project_root(paths)
    if root is None:
        return list(checked), False
    root = reached_as(root, paths)
    if any(os.path.abspath(p) == os.path.abspath(root) for p in paths):
        return list(checked), True  # the run names the project itself: its files are the project's
    project = project_files(spelled_like(root, paths), config, use_cache)
    named = {os.path.abspath(p): p for p in checked}
    files = [named.pop(os.path.abspath(p), p) for p in project]
    return files + list(named.values()), True
