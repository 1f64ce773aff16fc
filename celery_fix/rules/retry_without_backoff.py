import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.codemods.retry_backoff import DEFAULT_BACKOFF_MAX, add_backoff, plan_backoff
from celery_fix.constructs.task_bodies import (
    ABSENT, CELERY_TASK_CLASSES, class_attributes, defines_inheriting, is_empty, module_tasks, task_classes,
)


class RetryWithoutBackoffRule(rule.CeleryRule):
    """
    ## What it does
    Checks for tasks that retry automatically (`autoretry_for`) without `retry_backoff`.

    ## Why is this bad?
    Without `retry_backoff`, Celery waits the task's fixed `default_retry_delay` (180 seconds
    unless changed) before every automatic retry. Every failing task then retries in lockstep:
    an outage of the service it calls is hit by synchronized waves of retries, and a short blip
    still costs three minutes. With `retry_backoff=True` the delay grows exponentially
    (1, 2, 4, ... seconds, capped by `retry_backoff_max`, 600 by default) and `retry_jitter`
    (on by default) spreads the retries out.

    ## Example
    ```python
    @shared_task(autoretry_for=(requests.RequestException,))
    def sync_stock(sku): ...
    ```

    ## Use instead
    ```python
    @shared_task(
        autoretry_for=(requests.RequestException,),
        retry_backoff=True,
        retry_backoff_max=600,
        retry_jitter=True,
    )
    def sync_stock(sku): ...
    ```

    ## Fix safety
    Safe. The fix adds `retry_backoff=True`, plus `retry_backoff_max` and `retry_jitter` with
    Celery's own defaults so the policy is written down (option `explicit-backoff-defaults`;
    the max is option `retry-backoff-max`). Options already present are kept. No finding when
    `retry_backoff` is set from a variable or may come from `**options`; a literal
    `retry_backoff=False` is reported but not changed.
    With the ProjectIndex a task's effective options count: `autoretry_for` inherited from a
    `base=` class (in any module, through a chain of bases) needs backoff too, and a
    `retry_backoff` the base class sets is enough. Without it (plain Fixit) a project `base=`
    class may set either, and the task is not reported. A task class that sets `autoretry_for`
    without `retry_backoff` is reported at the attribute, without a fix.
    """

    CODE = "CEL202"
    NAME = "retry-without-backoff"
    MESSAGE = "task retries on `autoretry_for` without `retry_backoff`: every retry waits the same 180 s"
    HELP = "add `retry_backoff=True`"
    FIX_TITLE = "Add `retry_backoff=True`"
    SEVERITY = "error"
    TRIGGERS = (b"autoretry_for", b"base=")  # a task inheriting autoretry_for writes only `base=`
    OPTIONS = {"retry-backoff-max": DEFAULT_BACKOFF_MAX, "explicit-backoff-defaults": True}

    VALID = [
        Valid(
            """
            from celery import shared_task

            @shared_task(autoretry_for=(IOError,), retry_backoff=True)
            def fetch(url): ...
            """
        ),
        Valid(
            """
            from celery import shared_task

            @shared_task(bind=True)
            def fetch(self, url): ...
            """
        ),
        Valid(
            """
            from django.conf import settings
            from celery import shared_task

            @shared_task(autoretry_for=(IOError,), retry_backoff=settings.BACKOFF)
            def fetch(url): ...
            """
        ),
        Valid(
            """
            from myproject.jobs import shared_task

            @shared_task(autoretry_for=(IOError,))
            def fetch(url): ...
            """
        ),
        Valid(
            """
            from celery import shared_task

            @shared_task(autoretry_for=(IOError,), **get_retry_options())
            def fetch(url): ...
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from celery import shared_task

            @shared_task(autoretry_for=(IOError,))
            def fetch(url): ...
            """,
            expected_replacement="""
            from celery import shared_task

            @shared_task(autoretry_for=(IOError,), retry_backoff=True, retry_backoff_max=600, retry_jitter=True)
            def fetch(url): ...
            """,
        ),
        Invalid(
            """
            from proj.celery import app

            @app.task(
                bind=True,
                autoretry_for=(IOError,),
                retry_jitter=False,
            )
            def fetch(self, url): ...
            """,
            expected_replacement="""
            from proj.celery import app

            @app.task(
                bind=True,
                autoretry_for=(IOError,),
                retry_jitter=False,
                retry_backoff=True,
                retry_backoff_max=600,
            )
            def fetch(self, url): ...
            """,
        ),
        Invalid(
            """
            import celery

            @celery.shared_task(autoretry_for=(IOError,), retry_backoff=False)
            def fetch(url): ...
            """,
        ),
    ]

    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        if b"autoretry_for" in source:
            return super().relevant(source, index, path)
        # `base=` alone: only where a task inherits autoretry_for (`database=` also holds `base=`)
        return index is not None and b"base=" in source and defines_inheriting(source, index, "autoretry_for")

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        self._decorators: dict[int, cst.Decorator] = {}
        context = self.context
        index = context.index if context else None
        if index is not None and context.path:
            for task in module_tasks(node, self.names, index, context.path):
                base = task.written("base") if task.decorator is not None else None
                if base is None or self.names.resolve(base) in CELERY_TASK_CLASSES or task.info is None:
                    continue  # visit_Call reads what the decorator writes
                self._inherited(task)
        for cls in task_classes(node, self.names, index):
            attributes = class_attributes(cls)
            retry_on = attributes.get("autoretry_for")
            if retry_on is None or is_empty(retry_on) or "retry_backoff" in attributes:
                continue
            if not all(self.names.resolve(b.value) in CELERY_TASK_CLASSES for b in cls.bases):
                continue  # a project base may set retry_backoff
            self.report(retry_on, "task class sets `autoretry_for` without `retry_backoff`: every retry waits the same 180 s",
                        help="add `retry_backoff = True`")

    def _inherited(self, task) -> None:
        """A task with a project `base=` class: its effective options, from the index."""
        retry_on = task.value("autoretry_for", self.names)
        if retry_on is ABSENT or is_empty(retry_on) or task.unknown:
            return
        backoff = task.value("retry_backoff", self.names)
        call = task.decorator.call
        if backoff is not ABSENT or call is None:
            return
        source = task.source("autoretry_for")
        message = self.MESSAGE if not source else self.MESSAGE.replace(
            "task retries on `autoretry_for`", f"task retries on `autoretry_for` (from `{source.rsplit('.', 1)[-1]}`)")
        self.report(call, message, replacement=add_backoff(call, self.option("retry-backoff-max"),
                                                           self.option("explicit-backoff-defaults")),
                    at=self._decorator_of(task.decorator.decorator, call))

    def visit_Decorator(self, node: cst.Decorator) -> None:
        self._decorators[id(node.decorator)] = node

    def _decorator_of(self, decorator, call: cst.Call) -> cst.Decorator | None:
        # a task's finding points at its decorator's `@`, as every rule's task findings do; the fix
        # still replaces the call alone
        if isinstance(decorator, cst.Decorator) and decorator.decorator is call:
            return decorator
        return self._decorators.get(id(call))

    def visit_Call(self, node: cst.Call) -> None:
        plan = plan_backoff(self.names, node)
        if plan is None:
            return
        if not plan.fixable:
            self.report(node, at=self._decorators.get(id(node)), message="`retry_backoff=False` with `autoretry_for`: every retry waits the same 180 s",
                        help="consider `retry_backoff=True`")
            return
        fixed = add_backoff(node, self.option("retry-backoff-max"), self.option("explicit-backoff-defaults"))
        self.report(node, replacement=fixed, at=self._decorators.get(id(node)))
