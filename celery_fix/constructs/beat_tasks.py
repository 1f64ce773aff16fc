"""The task a beat entry schedules, and the beat entries of a task, for CEL803-CEL805.

With the ProjectIndex the task is looked up by its Celery name (`"task": "shop.tasks.sync"`) or,
for `add_periodic_task(..., sync.s())`, by the qualified name of the task object. Without it,
only a task defined in the same module can be found (see `celery_fix.constructs.beat.module_tasks`), and
only the options written in its decorator are known (a `base=` class, the app's `task_cls` and
the global settings live elsewhere).
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from typing import Any

import libcst as cst

from celery_fix.constructs.beat import (
    BeatEntry,
    Resolver,
    celery_task_name,
    index_task_by_name,
    module_tasks,
)
from celery_fix.constructs.names import NameTable


@dataclass
class ScheduledTask:
    name: str | None  # the Celery task name
    label: str  # how the message names it
    options: dict[str, Any]  # evaluated option values (numbers, strings, UNKNOWN, Ref, ...)
    # keys not in `options` may still be set (a spread, a base class we cannot see); with
    # `complete` False, an absent key is unknown rather than "not set"
    complete: bool
    info: Any = None  # the index's TaskInfo, when found there
    node: cst.CSTNode | None = None  # the def, when defined in the checked module
    decorator: Any = None  # its TaskDecorator (same-module tasks)
    base: str | None = None


def find_scheduled_task(module: cst.Module, names: NameTable, index: Any, entry: BeatEntry) -> ScheduledTask | None:
    """The task `entry` schedules: from the index when there is one (by name, else by the task
    object's qualname), else a task defined in this module."""
    if index is not None:
        info = index_task_by_name(index, entry.task) if entry.task is not None else None
        if info is None and entry.task_ref is not None:
            qualname = Resolver(names, entry.local_names).resolve(entry.task_ref)
            finder = getattr(index, "task_by_qualname", None)
            if qualname and callable(finder):
                info = finder(qualname)
        if info is not None:
            return ScheduledTask(
                name=getattr(info, "name", None), label=getattr(info, "name", None) or info.qualname,
                options=dict(getattr(info, "options", {}) or {}),
                complete=not getattr(info, "options_unknown", False), info=info, base=getattr(info, "base", None),
            )
    local = _local_task(module, names, entry)
    if local is None:
        return None
    function, node, task = local
    resolver = Resolver(names)
    options = {key: resolver.value(value) for key, value in task.options.items()}
    name = celery_task_name(names, function, task)
    # a base class or the app's task_cls may set what the decorator does not
    return ScheduledTask(name=name, label=name or function, options=options, complete=False, node=node,
                         decorator=task, base=resolver.resolve(task.options["base"]) if "base" in task.options else None)


def _local_task(module: cst.Module, names: NameTable, entry: BeatEntry):
    for function, (node, task) in module_tasks(module, names).items():
        if isinstance(entry.task_ref, cst.Name) and entry.task_ref.value == function \
                and function not in entry.local_names:
            return function, node, task
        if entry.task is not None and entry.task == celery_task_name(names, function, task):
            return function, node, task
    return None


def index_tasks_in_file(index: Any, path: str, module_name: str) -> list:
    """The index's tasks defined in the file at `path`."""
    tasks = getattr(index, "tasks", None) or ()
    tasks = list(tasks.values()) if isinstance(tasks, dict) else list(tasks)
    wanted = _real(path)
    found = [t for t in tasks if _real(getattr(t, "path", "")) == wanted]
    if not found and module_name:
        found = [t for t in tasks if getattr(t, "module", None) == module_name]
    return found


def may_define_undocumented_scheduled_task(index: Any, path: str, module_name: str) -> bool:
    """Whether the file may define a task beat runs that has no docstring (CEL805's relevance
    test): the same lookup as index_tasks_in_file, with the scheduled tasks worked out once."""
    scheduled = _SCHEDULED.get(id(index))
    if scheduled is None or scheduled[0] is not index:
        tasks = getattr(index, "tasks", None) or ()
        finder = getattr(index, "beat_entries_for", None)
        wanted = [t for t in tasks if not getattr(t, "docstring", False) and callable(finder) and finder(t)]
        scheduled = (index, {_real(getattr(t, "path", "")) for t in wanted}, {getattr(t, "module", None) for t in wanted},
                     {_real(getattr(t, "path", "")) for t in tasks})
        _SCHEDULED.clear()
        _SCHEDULED[id(index)] = scheduled
    _, paths, modules, all_paths = scheduled
    real = _real(path)
    if real in all_paths:
        return real in paths
    return module_name in modules  # index_tasks_in_file's fallback: a task found by module name


_SCHEDULED: dict[int, tuple] = {}


@functools.lru_cache(maxsize=4096)
def _real(path: str) -> str:
    # cached: a rule compares one file with every task of the index (realpath stats each part)
    return os.path.normcase(os.path.realpath(path)) if path else ""


def known_number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def human_seconds(seconds: float) -> str:
    """`300` -> "5 min", `5400` -> "90 min", `7200` -> "2 h", `45` -> "45 s"."""
    seconds = float(seconds)
    if seconds >= 86400 and seconds % 86400 == 0:
        days = int(seconds // 86400)
        return f"{days} day" + ("s" if days != 1 else "")
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{int(seconds // 3600)} h"
    if seconds >= 60 and seconds % 60 == 0:
        return f"{int(seconds // 60)} min"
    return f"{seconds:g} s"
