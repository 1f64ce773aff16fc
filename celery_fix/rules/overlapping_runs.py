from typing import Any

import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.constructs.beat_label import entry_label
from celery_fix.constructs.beat import UNKNOWN, Resolver, index_setting, module_entries
from celery_fix.constructs.beat_tasks import (
    ScheduledTask,
    find_scheduled_task,
    human_seconds,
    known_number,
)
from celery_fix.index.values import is_unknown

LIMITS = ("time_limit", "soft_time_limit")
# task base classes that already keep a second run from starting while one is running
_LOCKING_BASES = ("QueueOnce", "Singleton")


class OverlappingRunsRule(rule.CeleryRule):
    """
    ## What it does
    Checks for beat entries whose task may run at least as long as the entry's interval: its
    `time_limit` (or, without one, its `soft_time_limit`) — set in the entry's `options`, the task
    decorator, its base class or the global `task_time_limit`/`task_soft_time_limit` setting —
    is at or above the time between two runs.

    ## Why is this bad?
    Beat sends the next run when it is due, whether or not the last one finished. A task allowed to
    run for 10 minutes on a 5-minute schedule can have two or more runs working at once: they fight
    over the same rows, send the same e-mails twice, and each slow run makes the next one slower.

    ## Example
    ```python
    @shared_task(time_limit=15 * 60)
    def sync_stock(): ...

    CELERY_BEAT_SCHEDULE = {
        "sync-stock": {"task": "shop.tasks.sync_stock", "schedule": timedelta(minutes=5)},
    }
    ```

    ## Use instead
    ```python
    @shared_task(time_limit=4 * 60)
    def sync_stock():
        if not cache.add("lock:sync-stock", 1, timeout=4 * 60):
            return  # the last run is still working
        try:
            ...
        finally:
            cache.delete("lock:sync-stock")
    ```
    (or a longer interval, or a task base that locks, such as celery-once's `QueueOnce`).

    ## Fix safety
    No fix: shortening the limit kills long runs, lengthening the interval changes the schedule;
    a lock is a design decision. Needs the ProjectIndex for tasks defined in other modules, their
    base classes and the global settings; without it (plain Fixit) only a task defined in the same
    module as the entry, with the limit written in its decorator or in the entry, is checked.
    No finding when the interval is not a fixed number (`solar`, a computed schedule), a limit is
    set to an expression, or the task's base is a known locking base (`QueueOnce`, `Singleton`).
    """

    CODE = "CEL803"
    NAME = "overlapping-runs"
    MESSAGE = "the task's time limit is at or above the beat interval: runs can overlap"
    HELP = "shorten the limit or lock the task"
    FIX_KIND = "lint"
    TRIGGERS = (b"BEAT_SCHEDULE", b"beat_schedule", b"add_periodic_task")
    READS_SCHEDULES = True

    VALID = [
        Valid(
            """
            from datetime import timedelta
            from celery import shared_task

            @shared_task(time_limit=60)
            def sync():
                pass

            CELERY_BEAT_SCHEDULE = {"sync": {"task": "sync", "schedule": timedelta(minutes=5)}}
            """
        ),
        Valid(
            """
            from datetime import timedelta

            CELERY_BEAT_SCHEDULE = {"sync": {"task": "shop.tasks.sync", "schedule": timedelta(minutes=5)}}
            """
        ),
        Valid(
            """
            from celery import shared_task
            from celery.schedules import solar

            @shared_task(time_limit=24 * 60 * 60, name="dawn")
            def dawn():
                pass

            CELERY_BEAT_SCHEDULE = {"dawn": {"task": "dawn", "schedule": solar("dawn", 0, 0)}}
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from datetime import timedelta
            from celery import shared_task

            @shared_task(time_limit=15 * 60, name="sync")
            def sync():
                pass

            CELERY_BEAT_SCHEDULE = {"sync": {"task": "sync", "schedule": timedelta(minutes=5)}}
            """
        ),
        Invalid(
            """
            from celery import Celery

            app = Celery("shop")

            @app.task(soft_time_limit=30)
            def ping():
                pass

            app.add_periodic_task(30.0, ping.s(), name="ping")
            """
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        index = self.context.index if self.context is not None else None
        for entry in module_entries(node, self.names, self.context):
            if entry.form == "opaque" or entry.options_unknown:
                continue
            period = entry.schedule.period
            if entry.schedule.kind not in ("timedelta", "number", "schedule", "crontab") or not period:
                continue
            task = find_scheduled_task(node, self.names, index, entry)
            if task is None or _locks(task):
                continue
            resolver = Resolver(self.names, entry.local_names)
            limits = {}
            for key in LIMITS:
                if key in entry.options:
                    limits[key] = (resolver.value(entry.options[key]), f"`{key}` in the entry's `options`")
                else:
                    limits[key] = _task_limit(task, key, index)
            found = _run_bound(limits)
            if found is None:
                continue
            _, seconds, where = found
            if seconds < period:
                continue
            label = entry_label(entry)
            every = human_seconds(period)
            often = "as often as every" if entry.schedule.kind == "crontab" else "every"
            self.report(
                entry.report_node,
                f"{label} runs {often} {every}, but its task `{task.label}` may run for {human_seconds(seconds)}",
                help=f"keep the limit ({where}) below the interval, or make the task take a lock "
                "(`cache.add(key, ...)`, celery-once) so an overlapping run skips",
            )


def _locks(task: ScheduledTask) -> bool:
    base = task.base or ""
    return base.rsplit(".", 1)[-1] in _LOCKING_BASES or "once" in task.options


def _task_limit(task: ScheduledTask, key: str, index: Any) -> tuple[Any, str]:
    """(value, where it is set): None when not set, UNKNOWN when we cannot know."""
    if task.options.get(key) is not None:  # `time_limit=None` falls back to the setting, as in Celery
        where = "its decorator or base class" if task.base else "the task decorator"
        return task.options[key], f"`{key}` in {where}"
    if not task.complete:
        return UNKNOWN, ""
    if index is None:
        return UNKNOWN, ""
    settings = getattr(index, "settings", None) or {}
    if f"task_{key}" not in settings:
        return None, ""
    return index_setting(index, f"task_{key}"), f"the global `task_{key}` setting, a ceiling for every task without its own"


def _run_bound(limits: dict[str, tuple[Any, str]]) -> tuple[str, float, str] | None:
    """How long a run may last: the hard `time_limit` when known, else the soft one (a hard limit
    we cannot read is taken to be at least the soft one, as Celery expects); None when unknown."""
    hard, hard_where = limits["time_limit"]
    if hard is not None and not is_unknown(hard):
        seconds = known_number(hard)
        return None if seconds is None or seconds <= 0 else ("time_limit", seconds, hard_where)
    soft, soft_where = limits["soft_time_limit"]
    if soft is None or is_unknown(soft):
        return None
    seconds = known_number(soft)
    return None if seconds is None or seconds <= 0 else ("soft_time_limit", seconds, soft_where)
