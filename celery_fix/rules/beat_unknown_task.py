import difflib
from typing import Any

import libcst as cst
from fixit import Valid

from celery_fix.ruleset import base as rule
from celery_fix.constructs.beat import index_task_by_name, index_tasks, module_entries
from celery_fix.constructs.beat_label import entry_label


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
    without it (plain Fixit, or an index that found no task at all) the rule reports nothing. To
    stay precise it reports a name only when its module is one whose tasks the index knows (the
    function is missing there), when it is a near-miss of a project task's name, or — when the
    index covers the whole project, not just the paths given on the command line — when its first
    dotted part is a project package that defines tasks (a renamed or moved module). Celery's
    built-ins (`celery.backend_cleanup`) and the tasks of installed libraries are never reported,
    nor is any entry while some task's `name=` is an expression the index cannot read.
    """

    CODE = "CEL804"
    NAME = "beat-unknown-task"
    MESSAGE = "beat entry names a task that does not exist in the project"
    HELP = "name a task the project defines (a typo, or a renamed module?)"
    FIX_KIND = "lint"
    NEEDS_INDEX = True
    TRIGGERS = (b"BEAT_SCHEDULE", b"beat_schedule", b"add_periodic_task")
    READS_SCHEDULES = True

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
        modules = {t.module for t in tasks if getattr(t, "module", "")}
        roots = {module.split(".", 1)[0] for module in modules}
        # whether the index was built over the whole project (not a few paths picked on the command
        # line): only then does "no task in a module we never saw" mean the module is gone
        complete = getattr(index, "complete", False) is True
        unreadable = " ".join(getattr(index, "errors", None) or ()).replace("\\", "/")
        for entry in module_entries(node, self.names, self.context):
            name = entry.task
            if entry.form == "opaque" or not name:
                continue
            if name.startswith("celery.") or index_task_by_name(index, name) is not None:
                continue
            module_part = name.rsplit(".", 1)[0] if "." in name else ""
            if module_part and module_part.replace(".", "/") in unreadable:
                continue  # its module could not be parsed: the task may be there
            close = difflib.get_close_matches(name, names, n=1, cutoff=0.85)
            if module_part in modules:
                pass  # a module whose tasks we all know: the function was renamed or misspelt
            elif difflib.get_close_matches(name, names, n=1, cutoff=0.9):
                pass  # a near-miss of one of our task names
            elif not (complete and module_part and module_part.split(".", 1)[0] in roots):
                continue  # a library's or another code base's task, or a module outside this run
            hint = _module_hint(name, tasks) or (f"did you mean `{close[0]}`?" if close else None)
            self.report(
                entry.report_node,
                f"{entry_label(entry)} schedules `{name}`, which no task in the project is named",
                help=hint,
            )


def _module_hint(name: str, tasks: list[Any]) -> str | None:
    """Where a task with the same function name lives, when exactly one does."""
    function = name.rsplit(".", 1)[-1]
    same = [t.name for t in tasks if getattr(t, "function", None) == function]
    return f"a task `{function}` is named `{same[0]}`: schedule that name" if len(same) == 1 else None
