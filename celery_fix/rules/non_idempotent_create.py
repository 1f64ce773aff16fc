from typing import Any, Optional

import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.constructs.side_effects import scan_body
from celery_fix.constructs.task_bodies import (
    TaskBody,
    is_empty,
    known_absent,
    may_define_task,
    module_tasks,
    retry_calls,
)
from celery_fix.index.values import is_unknown


def retry_reason(task: TaskBody, names: Any, index: Any) -> Optional[str]:
    """Why the task may run again after it wrote something: None when it does not retry."""
    autoretry = task.value("autoretry_for", names)
    if not known_absent(autoretry) and not is_unknown(autoretry) and not is_empty(autoretry) and autoretry is not None:
        return "`autoretry_for`"
    if retry_calls(task):
        return "`self.retry()`"
    if task.value("acks_late", names) is True:
        source = task.source("acks_late")
        return f"`acks_late` from `{source.rsplit('.', 1)[-1]}`" if source and source != "decorator" else "`acks_late`"
    if known_absent(task.value("acks_late", names)) and index is not None:
        found = (getattr(index, "settings", None) or {}).get("task_acks_late")
        if found is not None and found.value is True:
            return "the `task_acks_late` setting"
    return None


class NonIdempotentCreateRule(rule.CeleryRule):
    """
    ## What it does
    Checks for `Model.objects.create(...)` and `bulk_create(...)` in a task that runs again after
    a failure: it retries (`autoretry_for`, `self.retry()`) or acknowledges late (`acks_late`,
    in the decorator, a `base=` class, or the `task_acks_late` setting), with no idempotency guard
    earlier in the body (see CEL101: an early return, `get_or_create`, `select_for_update`, a lock).

    ## Why is this bad?
    A retry runs the whole task again, and a late-acknowledged message is redelivered when the
    worker dies. The rows created by the first attempt are still there (a retry is not a
    rollback), so every attempt adds another copy: duplicate payments, log lines, notifications.

    ## Example
    ```python
    @shared_task(autoretry_for=(RequestException,), retry_backoff=True)
    def record_payment(order_id, amount):
        Payment.objects.create(order_id=order_id, amount=amount)
        gateway.confirm(order_id)
    ```

    ## Use instead
    ```python
    @shared_task(autoretry_for=(RequestException,), retry_backoff=True)
    def record_payment(order_id, amount):
        Payment.objects.get_or_create(order_id=order_id, defaults={"amount": amount})
        gateway.confirm(order_id)
    ```
    (or a unique constraint plus `update_or_create`, or the write in `transaction.atomic()` with
    the rest of the work).

    ## Fix safety
    No fix: which fields identify "the same row" is a modelling decision. Effective options come
    from the decorator, class attributes and the index's `base=` classes; the task stays quiet
    when they cannot be read.
    """

    CODE = "CEL102"
    NAME = "non-idempotent-create"
    MESSAGE = "task that retries creates rows unguarded"
    HELP = "use `get_or_create`/`update_or_create` (with a unique constraint) or guard the write"
    FIX_KIND = "lint"
    TRIGGERS = (b"task", b"Task")
    KEEP_WORDS = ()  # task bodies only (kept by decorators / `run`, with what they call); options come from the index
    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        # `task` is in most files: with the index, only files defining one of its tasks
        return b"create" in source and (super().relevant(source, index, path) and may_define_task(source, index))


    VALID = [
        Valid(
            """
            from celery import shared_task

            @shared_task
            def log(order_id):  # no retries: runs once per delivery
                Event.objects.create(order_id=order_id)
            """
        ),
        Valid(
            """
            from celery import shared_task

            @shared_task(autoretry_for=(IOError,))
            def log(order_id):
                Event.objects.get_or_create(order_id=order_id)
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from celery import shared_task

            @shared_task(autoretry_for=(IOError,))
            def log(order_id):
                Event.objects.create(order_id=order_id)
            """
        ),
        Invalid(
            """
            from celery import shared_task

            @shared_task(bind=True)
            def log(self, order_id):
                Event.objects.bulk_create([Event(order_id=order_id)])
                try:
                    push(order_id)
                except IOError as exc:
                    raise self.retry(exc=exc)
            """
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        context = self.context
        index = context.index if context else None
        for task in module_tasks(node, self.names, index, context.path if context else ""):
            writes = [w for w in scan_body(task.function, self.names, ()).writes
                      if w.method in ("create", "bulk_create") and not w.guarded]
            if not writes:
                continue
            reason = retry_reason(task, self.names, index)
            if reason is None:
                continue
            for write in writes:
                label = f"{write.model}.objects.{write.method}()" if write.model != "?" else f"{write.method}()"
                self.report(
                    write.call,
                    f"`{label}` in task `{task.tail}`, which runs again on failure ({reason})",
                )
