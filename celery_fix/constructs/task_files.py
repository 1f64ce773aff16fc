"""Whether a file defines a task, from the ProjectIndex: the relevance test of the rules that look
at task bodies (their trigger words, `task`/`Task`, are in most files of a Django project)."""

from __future__ import annotations

from typing import Any, Optional

from celery_fix.constructs.results import _tasks_in_file


def defines_tasks(index: Any, path: Optional[str]) -> Optional[bool]:
    """True/False when the index read the file at `path` (its task list is then complete for that
    file); None when it cannot tell (no index, a fix pass, a file it could not parse)."""
    if index is None or path is None or path not in getattr(index, "indexed_files", ()):
        return None
    return bool(_tasks_in_file(index, path))


def task_file_relevant(cls: Any, source: bytes, index: Any, path: Optional[str]) -> bool:
    """The index's answer when it has one, else the rule's trigger words."""
    known = defines_tasks(index, path)
    if known is not None:
        return known
    return not cls.TRIGGERS or any(word in source for word in cls.TRIGGERS)
