"""Which rules look at a file: trigger words and per-file ignores."""

from __future__ import annotations

import fnmatch
import functools
from pathlib import Path
from typing import Iterable

from celery_fix.engine.model import EngineSettings


@functools.lru_cache(maxsize=64)
def trigger_words(rules: tuple) -> tuple[bytes, ...] | None:
    """The rules' trigger words (rule classes or catalogue entries), each once; None when some
    rule must see every file."""
    if any(not r.TRIGGERS for r in rules):
        return None
    return minimal_words({w for r in rules for w in r.TRIGGERS})


def minimal_words(words: Iterable[bytes]) -> tuple[bytes, ...]:
    """`words` without those that contain another (`shared_task` is found when `task` is): the
    same files match, with fewer scans."""
    ordered = sorted(set(words), key=len)
    kept: list[bytes] = []
    for word in ordered:
        if not any(shorter in word for shorter in kept):
            kept.append(word)
    return tuple(kept)


def ignored_for_path(code: str, path: str, settings: EngineSettings) -> bool:
    if not settings.per_file_ignores:
        return False
    try:
        relative = Path(path).resolve().relative_to(Path(settings.root).resolve()).as_posix()
    except ValueError:
        relative = Path(path).as_posix()
    for pattern, codes in settings.per_file_ignores:
        if fnmatch.fnmatch(relative, pattern) and any(code.startswith(c.upper()) or c.upper() == "ALL" for c in codes):
            return True
    return False
