from pathlib import Path
from typing import Any

import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.constructs.beat import module_entries, module_tasks
from celery_fix.constructs.beat_tasks import find_scheduled_task, index_tasks_in_file, may_define_undocumented_scheduled_task
from celery_fix.constructs.modules import module_name_for
from celery_fix.constructs.tasks import task_decorator


class UndocumentedPeriodicTaskRule(rule.CeleryRule):
    """
    ## What it does
    Checks for tasks that a beat schedule runs and that have no docstring. The finding is at the
    task's decorator (at the `class` line for a class-based task).

    ## Why is this bad?
    A periodic task runs with nobody watching: when it is slow, fails or runs twice, whoever is on
    call has only its name to go by. Its docstring is where to say what it does, how long a run is
    expected to take, and whether a skipped or doubled run is harmless.

    ## Example
    ```python
    @shared_task
    def sync_stock():
        ...
    ```

    ## Use instead
    ```python
    @shared_task
    def sync_stock():
        \"\"\"Pull stock levels from the warehouse API (every 5 min, ~20 s a run; a skipped run is harmless).\"\"\"
        ...
    ```

    ## Fix safety
    No fix: only the team can write the docstring. Needs the ProjectIndex to see schedules written in
    other modules (settings, the Celery app module); without it (plain Fixit) only tasks scheduled
    in their own module (`add_periodic_task(..., task.s())`, or a beat entry naming a task defined
    next to it) are checked.
    """

    CODE = "CEL805"
    NAME = "undocumented-periodic-task"
    MESSAGE = "task run by beat has no docstring"
    HELP = "say what it does, how long a run takes and whether a skipped or doubled run is harmless"
    FIX_KIND = "lint"
    # docstrings, task names and which entries run a task: no fix changes them
    SURVIVES_FIXES = True
    # the task's own module is checked: the words a task definition is written with (`@shared_task`,
    # `@app.task`, `@app.task(...)`, `class X(Task)`, `register_task`), and the schedules for the
    # single-file mode. (Not `task` alone: every module importing `.tasks` has it, and parsing them
    # all costs more than the rest of the rule.) Not seen: a task made only by a project preset
    # decorator whose name and module contain none of these words.
    TRIGGERS = (
        b"shared_task", b".task(", b".task\n", b".task\r", b".task ", b"@task", b"Task)", b"Task,",
        b"register_task", b"BEAT_SCHEDULE", b"beat_schedule", b"add_periodic_task",
    )

    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        if not super().relevant(source, index, path):
            return False
        if index is None or path is None:
            return True
        # with the index, only a task's own module is reported on
        module = index.module_name(path) if hasattr(index, "module_name") else module_name_for(Path(path))
        return may_define_undocumented_scheduled_task(index, path, module)

    VALID = [
        Valid(
            """
            from celery import Celery

            app = Celery("shop")

            @app.task
            def ping():
                '''Keep the broker connection warm (every 30 s, instant).'''

            app.add_periodic_task(30.0, ping.s(), name="ping")
            """
        ),
        Valid(
            """
            from celery import shared_task

            @shared_task
            def not_scheduled():
                pass
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from celery import Celery

            app = Celery("shop")

            @app.task
            def ping():
                pass

            app.add_periodic_task(30.0, ping.s(), name="ping")
            """
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        index = self.context.index if self.context is not None else None
        if index is not None:
            self._with_index(node, index)
        else:
            self._single_file(node)

    def _with_index(self, module: cst.Module, index: Any) -> None:
        path = self.context.path if self.context is not None else ""
        definitions = _definitions(module)
        for info in index_tasks_in_file(index, path, self.names.module_name):
            if getattr(info, "docstring", False):
                continue
            finder = getattr(index, "beat_entries_for", None)
            entries = finder(info) if callable(finder) else []
            if not entries:
                continue
            node = definitions.get(getattr(info, "function", ""))
            if node is None or node.get_docstring() is not None:
                continue
            where = _report_node(self.names, node, getattr(info, "decorator", ""))
            self._report(where, node.name.value, [e.name for e in entries])

    def _single_file(self, module: cst.Module) -> None:
        scheduled: dict[str, list[str | None]] = {}
        tasks = module_tasks(module, self.names)
        for entry in module_entries(module, self.names, self.context):
            if entry.form == "opaque":
                continue
            found = find_scheduled_task(module, self.names, None, entry)
            if found is None or found.node is None:
                continue
            scheduled.setdefault(found.node.name.value, []).append(entry.name)
        for function, entries in scheduled.items():
            node, task = tasks[function]
            if node.get_docstring() is not None:
                continue
            self._report(task.decorator, function, entries)

    def _report(self, node: cst.CSTNode, task: str, entries: list[str | None]) -> None:
        named = sorted({e for e in entries if e})
        via = f" (beat entr{'ies' if len(named) > 1 else 'y'} {', '.join(f'`{e}`' for e in named)})" if named else ""
        self.report(node, f"task `{task}` runs on a beat schedule but has no docstring", help=self.HELP + via)


def _definitions(module: cst.Module) -> dict[str, cst.FunctionDef | cst.ClassDef]:
    """Top-level functions and classes by name (also inside a top-level `if`/`try`)."""
    found: dict[str, cst.FunctionDef | cst.ClassDef] = {}

    def walk(body) -> None:
        for statement in body:
            if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
                found.setdefault(statement.name.value, statement)
            elif isinstance(statement, (cst.If, cst.Try)):
                walk(statement.body.body)

    walk(module.body)
    return found


def _report_node(names, node: cst.FunctionDef | cst.ClassDef, decorator_name: str) -> cst.CSTNode:
    """The task decorator (the one that made the function a task), else the `def`/`class`."""
    if isinstance(node, cst.ClassDef) or not node.decorators:
        return node
    for decorator in node.decorators:
        if task_decorator(names, decorator) is not None:
            return decorator
    for decorator in node.decorators:
        expr = decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
        if decorator_name and names.resolve(expr) == decorator_name:
            return decorator
    return node.decorators[0] if len(node.decorators) == 1 else node
