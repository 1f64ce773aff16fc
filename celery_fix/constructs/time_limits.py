"""A task's time limits as numbers: its effective options (decorator, class attributes, `base=`
classes) over the global `task_time_limit`/`task_soft_time_limit` settings. Shared by CEL301,
CEL305 and CEL307."""

from __future__ import annotations

from typing import Any, Optional

import libcst as cst

from celery_fix.constructs.names import NameTable
from celery_fix.constructs.task_bodies import ABSENT, TaskBody
from celery_fix.index.evaluate import evaluate
from celery_fix.index.values import UNKNOWN, is_unknown

LIMITS = ("soft_time_limit", "time_limit")


def number(value: Any, names: NameTable) -> Any:
    """A number for a limit value: int/float, None (explicitly no limit), ABSENT, or UNKNOWN."""
    if value is ABSENT or value is None:
        return value
    if isinstance(value, cst.BaseExpression):
        value = evaluate(value, names.resolve)
    if isinstance(value, bool) or is_unknown(value):
        return UNKNOWN
    return value if isinstance(value, (int, float)) else UNKNOWN


def global_limit(index: Any, key: str) -> Any:
    """The `task_<key>` setting: a number, ABSENT when unset, UNKNOWN when unreadable (or no index)."""
    if index is None:
        return UNKNOWN
    found = (getattr(index, "settings", None) or {}).get(f"task_{key}")
    if found is None:
        return ABSENT
    value = found.value
    if value is None:
        return ABSENT
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return UNKNOWN
    return value


def task_limit(task: TaskBody, key: str, names: NameTable) -> Any:
    return number(task.value(key, names), names)


def effective_limit(task: TaskBody, key: str, names: NameTable, index: Any) -> tuple[Any, str]:
    """(value, where): the task's own limit, else the global setting's (`None` from the task also
    falls back to the setting, as in Celery)."""
    own = task_limit(task, key, names)
    if own is not ABSENT and own is not None:
        return own, "task"
    return global_limit(index, key), "setting"


def longest_limit(info: Any, index: Any) -> Optional[float]:
    """How long an index task may run (its hard limit, else its soft one, else the settings'),
    None when unlimited or unknown."""
    for key in ("time_limit", "soft_time_limit"):
        value = (getattr(info, "options", None) or {}).get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
            return float(value)
        if value is not None and not isinstance(value, (int, float)):
            return None
    for key in ("time_limit", "soft_time_limit"):
        value = global_limit(index, key)
        if isinstance(value, (int, float)) and value > 0:
            return float(value)
    return None


__all__ = ["ABSENT", "UNKNOWN", "LIMITS", "number", "global_limit", "task_limit", "effective_limit", "longest_limit"]
