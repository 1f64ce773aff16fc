from typing import Any

import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.codemods.ignore_result import can_add_option
from celery_fix.codemods.reject_on_worker_lost import add_reject_on_worker_lost
from celery_fix.constructs.task_bodies import ABSENT, class_attributes, literal, module_tasks, task_classes, may_define_task
from celery_fix.index.values import is_unknown

# either setting (or task_retry_on_worker_lost, new in 5.7) decides what happens on a lost worker
WORKER_LOST_SETTINGS = ("task_reject_on_worker_lost", "task_retry_on_worker_lost")


def worker_lost_configured(index: Any) -> bool:
    """Whether the settings decide it (or may: set to something we cannot read)."""
    settings = getattr(index, "settings", None) or {}
    return any(key in settings for key in WORKER_LOST_SETTINGS)


class AcksLateWithoutRejectRule(rule.CeleryRule):
    """
    ## What it does
    Checks for `acks_late=True` (in a decorator, a task class, inherited from a `base=` class,
    or `task_acks_late` in the settings) without `reject_on_worker_lost` /
    `task_reject_on_worker_lost` (or Celery 5.7's `task_retry_on_worker_lost`).

    ## Why is this bad?
    `acks_late` is usually set so that a task survives a crash. But when the worker's child
    process dies mid-task (the OOM killer, a segfault, `SIGKILL`), Celery still acknowledges the
    message unless `reject_on_worker_lost` is set: the task is marked failed with
    `WorkerLostError` and is never run again — exactly the crash `acks_late` was meant to cover.
    (A lost connection to the broker does redeliver; a lost child process does not.)

    ## Example
    ```python
    @shared_task(acks_late=True)
    def charge(order_id): ...
    ```

    ## Use instead
    ```python
    @shared_task(acks_late=True, reject_on_worker_lost=True)
    def charge(order_id): ...
    ```

    ## Fix safety
    Unsafe. With `reject_on_worker_lost=True` the message goes back to the queue when the child
    dies: a task that kills its worker every time (it runs out of memory on some input) is
    redelivered forever — Celery's docs warn this "can cause message loops". The task must also
    be idempotent, since its first run may have done part of the work. Only a decorator the fix
    can edit is fixed; a class attribute or a setting is reported only.
    """

    CODE = "CEL903"
    NAME = "acks-late-without-reject"
    MESSAGE = "`acks_late` without `reject_on_worker_lost`: a task whose worker process dies is lost"
    HELP = "add `reject_on_worker_lost=True` (and make the task safe to run twice)"
    FIX_TITLE = "Add `reject_on_worker_lost=True` (unsafe)"
    TRIGGERS = (b"acks_late", b"ACKS_LATE")
    # `acks_late`/`reject_on_worker_lost`, and whether a keyword can be added
    # (codemods/ignore_result.can_add_option), stay as they were
    SURVIVES_FIXES_OF = rule.DECORATOR_KEYWORD_FIXES

    VALID = [
        Valid(
            """
            from celery import shared_task

            @shared_task(acks_late=True, reject_on_worker_lost=True)
            def charge(order_id): ...
            """
        ),
        Valid(
            """
            from celery import shared_task

            @shared_task(acks_late=False)
            def charge(order_id): ...
            """
        ),
        Valid(
            """
            from celery import shared_task

            @shared_task(acks_late=True, **OPTIONS)
            def charge(order_id): ...
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from celery import shared_task

            @shared_task(acks_late=True)
            def charge(order_id): ...
            """,
        ),
        Invalid(
            """
            from celery import Task

            class Durable(Task):
                acks_late = True
            """
        ),
    ]

    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        # only files that may define a task, or a task class tasks inherit from, or the setting
        return super().relevant(source, index, path) and (
            may_define_task(source, index, classes=True) or b"ACKS_LATE" in source or b"task_acks_late" in source)

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        context = self.context
        index = context.index if context else None
        if index is not None and worker_lost_configured(index):
            return
        path = context.path if context else ""
        for task in module_tasks(node, self.names, index, path):
            if task.decorator is None or task.written("acks_late") is None:
                continue  # inherited: reported at the class that sets it
            if task.value("acks_late", self.names) is not True:
                continue
            if task.value("reject_on_worker_lost", self.names) is not ABSENT:
                continue
            fixable = can_add_option(self.names, task.decorator)
            replacement = add_reject_on_worker_lost(task.report_node) if fixable else None
            self.report(task.report_node, replacement=replacement, unsafe=True)
        for cls in task_classes(node, self.names, index):
            attributes = class_attributes(cls)
            written = attributes.get("acks_late")
            if written is not None and literal(written, self.names) is True and "reject_on_worker_lost" not in attributes:
                self.report(written)
        if index is not None:
            self._setting(node, index, path)

    def _setting(self, node: cst.Module, index: Any, path: str) -> None:
        found = (getattr(index, "settings", None) or {}).get("task_acks_late")
        if found is None or found.value is not True or is_unknown(found.value) or not _same(found.path, path):
            return
        for statement in node.body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, cst.Assign) and any(
                            isinstance(t.target, cst.Name) and t.target.value == found.source for t in small.targets):
                        self.report(small, f"`{found.source} = True` without `task_reject_on_worker_lost`",
                                    help="set `task_reject_on_worker_lost = True` too (and make tasks safe to run twice)")


def _same(a: str, b: str) -> bool:
    import os

    try:
        return os.path.realpath(a) == os.path.realpath(b)
    except OSError:
        return a == b
