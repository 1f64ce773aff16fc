import difflib
from typing import Any

import libcst as cst
from fixit import Valid

from celery_fix import rule
from celery_fix.beat import index_task_by_name, index_tasks, module_entries


class BeatUnknownTaskRule(rule.CeleryRule):
    """
    ## What it does
    Checks for beat entries whose `"task"` name matches no task of the project — neither an explicit
    `name=` nor the `<module>.<function>` name Celery gives a task — usually a typo or a task whose
    module was renamed or moved.

    ## Why is this bad?
    Nothing checks the name when beat starts: it sends the message on schedule, and the worker
    rejects it as an unregistered task ("Received unregistered task of type ...") and drops it. The
    job silently never runs again, and the error only shows in the worker's log.

    ## Example
    ```python
    # the task moved from shop/tasks.py to shop/stock/tasks.py
    CELERY_BEAT_SCHEDULE = {
        "sync-stock": {"task": "shop.tasks.sync_stock", "schedule": crontab(minute=0)},
    }
    ```

    ## Use instead
    ```python
    CELERY_BEAT_SCHEDULE = {
        "sync-stock": {"task": "shop.stock.tasks.sync_stock", "schedule": crontab(minute=0)},
    }
    ```

    ## Fix safety
    No fix (the message suggests the closest task name when there is one). Needs the ProjectIndex:
    without it (plain Fixit, or an index that found no task at all, e.g. when only part of the
    project is checked) the rule reports nothing. To stay precise it reports a name only when it
    belongs to the project — its first dotted part is a top-level package that defines tasks — or
    when it is a near-miss of a project task's name; Celery's built-ins (`celery.backend_cleanup`)
    and the tasks of installed libraries are never reported, nor is any entry while some task's
    `name=` is an expression the index cannot read.
    """

    CODE = "CEL804"
    NAME = "beat-unknown-task"
    MESSAGE = (
        "beat entry names a task that does not exist in the project: the worker drops every run as an "
        "unregistered task"
    )
    FIX_KIND = "lint"
    NEEDS_INDEX = True
    TRIGGERS = (b"BEAT_SCHEDULE", b"beat_schedule", b"add_periodic_task")

    VALID = [
        Valid(
            """
            CELERY_BEAT_SCHEDULE = {"sync": {"task": "shop.tasks.does_not_exist", "schedule": 60}}
            """
        ),
    ]
    INVALID = []  # needs the ProjectIndex: tests/test_beat_index_rules.py and the snapshots

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        index = self.context.index if self.context is not None else None
        if index is None:
            return
        tasks = index_tasks(index)
        if not tasks or any(getattr(t, "name", None) is None for t in tasks):
            return  # no tasks seen (partial run), or one whose name we cannot read: it may be any name
        names = sorted({t.name for t in tasks})
        roots = {name.split(".", 1)[0] for name in names if "." in name}
        roots |= {t.module.split(".", 1)[0] for t in tasks if getattr(t, "module", "")}
        unreadable = " ".join(getattr(index, "errors", None) or ())
        for entry in module_entries(node, self.names):
            name = entry.task
            if entry.form == "opaque" or not name:
                continue
            if name.startswith("celery.") or index_task_by_name(index, name) is not None:
                continue
            module_part = name.rsplit(".", 1)[0]
            if "." in name and module_part.replace(".", "/") in unreadable.replace("\\", "/"):
                continue  # its module could not be parsed: the task may be there
            close = difflib.get_close_matches(name, names, n=1, cutoff=0.85)
            ours = "." in name and name.split(".", 1)[0] in roots
            if not ours and not difflib.get_close_matches(name, names, n=1, cutoff=0.9):
                continue  # another code base's or a library's task (unless a near-miss of ours)
            label = f"beat entry {entry.name!r}" if entry.name else "beat entry"
            hint = f"; did you mean {close[0]!r}?" if close else _module_hint(name, tasks)
            self.report(
                entry.report_node,
                f"{label} schedules task {name!r}, but no task in the project has that name (typo, or a renamed "
                f"module?): the worker drops every run as an unregistered task{hint}",
            )


def _module_hint(name: str, tasks: list[Any]) -> str:
    """Where a task with the same function name lives, when exactly one does."""
    function = name.rsplit(".", 1)[-1]
    same = [t.name for t in tasks if getattr(t, "function", None) == function]
    return f"; a task {function!r} is named {same[0]!r}" if len(same) == 1 else ""
