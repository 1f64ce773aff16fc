"""The project's file list, kept between runs while no directory it came from changed.

A one-file run (pre-commit, an editor) indexes the whole project, and walking it is a third of such
a run on a large tree. A directory's mtime changes whenever an entry is added, removed or renamed
in it, so the list stands while every directory the walk listed or left out keeps its mtime, and
every ignore file its mtime and size (an edit in place does not touch its directory). A directory
changed within the last seconds before the walk is not trusted (the filesystem's clock may be
coarse, and the walk may have listed it before the change): then nothing is kept.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

from celery_fix import __version__
from celery_fix.config import DEFAULT_EXCLUDES, Config
from celery_fix.discover import Discovery, discover
from celery_fix.engine.cache import ResultCache
from celery_fix.gitignore import _git_dir, work_tree

RACY_NS = 2_000_000_000  # a change this close to the walk may be newer than what it saw

Stamp = tuple[int, int]  # mtime_ns, size


def project_files(top: Path, config: Config, use_cache: bool) -> list[Path]:
    """The files `discover` finds under `top` (spelled as the run spells it)."""
    return project_discovery(top, config, use_cache).files


def project_discovery(top: Path, config: Config, use_cache: bool) -> Discovery:
    """`discover([top], config)`, from the kept list while it stands (a walk that met an error is not kept)."""
    if not use_cache:
        return discover([top], config)
    cache = ResultCache(config.root, "project files")
    key = cache.key(str(top), _fingerprint(top, config).encode("utf-8", "surrogateescape"))
    kept = cache.get(key)
    if _still_valid(kept):
        return Discovery([Path(name) for name in kept["files"]], [])
    started = time.time_ns()
    listed: list[str] = []
    found = discover([top], config, listed)
    if not found.errors:
        entry = _entry(found.files, listed, config, started)
        if entry is not None:
            cache.put(key, entry)
    return found


def _fingerprint(top: Path, config: Config) -> str:
    # what the walk depends on besides the directories: the tool, the working directory (`top`
    # may be relative) and the configuration's say on what is left out
    return repr((
        __version__, os.getcwd(), str(top), str(config.root), config.exclude, config.include_migrations,
        config.respect_gitignore, DEFAULT_EXCLUDES,
    ))


def _entry(files: list[Path], listed: list[str], config: Config, started: int) -> dict | None:
    directories = set(listed)
    ignores = _ignore_files(directories, config)
    stamps = {}
    for path in [*directories, *ignores]:
        stamp = _stamp(path)
        if stamp is not None and stamp[0] >= started - RACY_NS:
            return None
        stamps[path] = stamp
    return {"files": [str(f) for f in files], "stamps": stamps}


def _ignore_files(directories: set[str], config: Config) -> list[str]:
    """The ignore files that may speak for the walk: every directory's `.gitignore`, those above
    the project up to the repository's top, and the repository's `info/exclude`. Their directories
    count too."""
    if not config.respect_gitignore:
        return []
    root = os.path.normpath(os.path.abspath(config.root))
    top = work_tree(root)
    above = []
    directory = root
    while top is not None and directory != top and os.path.dirname(directory) != directory:
        directory = os.path.dirname(directory)
        above.append(directory)
    # an absent `.gitignore` appearing changes its directory's mtime, which is stamped too
    names = [name for d in {*directories, root, *above} if os.path.isfile(name := os.path.join(d, ".gitignore"))]
    if top is not None:
        names.append(str(_git_dir(top) / "info" / "exclude"))  # (its directory is not stamped: even absent)
    return [root, *above, *names]


def _stamp(path: str) -> Stamp | None:
    try:
        status = os.stat(path)
    except OSError:
        return None  # absent (an ignore file that does not exist): its appearing is a change too
    return status.st_mtime_ns, 0 if stat.S_ISDIR(status.st_mode) else status.st_size


def _still_valid(entry) -> bool:
    if not isinstance(entry, dict) or not isinstance(entry.get("files"), list) or not isinstance(entry.get("stamps"), dict):
        return False
    for path, stamp in entry["stamps"].items():
        now = _stamp(path)
        if (tuple(now) if now is not None else None) != (tuple(stamp) if stamp is not None else None):
            return False
    return True
