"""Keeps the cache from growing without end: at most once a day, a run drops the entries no run
has used for a month and the directories of other versions or code no run has used for a month.

Every new tree state adds entries (per file, and a whole-run entry of a few hundred KB on a large
project), and every upgrade a directory: unpruned, a cache used daily grows by gigabytes a year.
An entry's last use is the later of its modification and access times; the access time is
updated on a read at most once a day under Linux's default `relatime`, and never under
`noatime`, where an entry in use is dropped after a month and written again (a miss, never a
wrong result). A directory's last use is its stamp, set by each prune. A run that cannot delete
something leaves it: pruning never fails a run.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

STAMP = ".pruned"
EVERY_SECONDS = 24 * 3600
UNUSED_SECONDS = 30 * 24 * 3600
# only what ResultCache writes is ever deleted (CELERY_FIX_CACHE_DIR may name a shared directory):
# a version's directory (`0.1.0-<code digest>`), its entry directories (a key's first two digits)
_VERSION_DIRECTORY = re.compile(r"\d[\w.+!]*-[0-9a-f]{16}")
_ENTRY_DIRECTORY = re.compile(r"[0-9a-f]{2}")


def prune_now_and_then(directory: Path, now: float | None = None) -> bool:
    """Prune the cache `directory` (one version's) and its siblings when the last prune is over a
    day old (one stat otherwise). Whether it pruned."""
    now = time.time() if now is None else now
    stamp = directory / STAMP
    try:
        age: float | None = now - stamp.stat().st_mtime
    except FileNotFoundError:
        age = None  # a new directory (or one from before pruning): its clock starts now
    except OSError:
        return False
    if age is not None and age < EVERY_SECONDS:
        return False
    if not directory.is_dir():
        return False  # nothing was written: nothing to prune
    try:
        stamp.touch()
        os.utime(stamp, (now, now))
    except OSError:
        return False  # read-only: a run that cannot write leaves the cache as it is
    if age is None:
        return False
    _drop_unused_entries(directory, now - UNUSED_SECONDS)
    _drop_unused_versions(directory, now - UNUSED_SECONDS)
    return True


def _drop_unused_entries(directory: Path, before: float) -> None:
    for sub in _entries(directory):
        if not _ENTRY_DIRECTORY.fullmatch(sub.name) or not sub.is_dir(follow_symlinks=False):
            continue
        for entry in _entries(Path(sub.path)):
            try:
                info = entry.stat(follow_symlinks=False)
                if max(info.st_mtime, info.st_atime) < before:
                    os.unlink(entry.path)
            except OSError:
                continue


def _drop_unused_versions(directory: Path, before: float) -> None:
    for sibling in _entries(directory.parent):
        if sibling.path == str(directory) or not _VERSION_DIRECTORY.fullmatch(sibling.name):
            continue
        if not sibling.is_dir(follow_symlinks=False):
            continue
        try:
            used = os.stat(os.path.join(sibling.path, STAMP)).st_mtime
        except OSError:
            try:
                used = sibling.stat(follow_symlinks=False).st_mtime  # (a version that never pruned)
            except OSError:
                continue
        if used < before:
            shutil.rmtree(sibling.path, ignore_errors=True)


def _entries(directory: Path) -> list[os.DirEntry]:
    try:
        with os.scandir(directory) as found:
            return list(found)
    except OSError:
        return []
