import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.constructs.task_bodies import ABSENT, has_spread, keyword, module_tasks, retry_calls, may_define_task


class ManualRetryWithoutCountdownRule(rule.CeleryRule):
    """
    ## What it does
    Checks for `self.retry(...)` with neither `countdown` nor `eta`, in a task that does not set
    `default_retry_delay` either.

    ## Why is this bad?
    A manual retry then waits the fixed `default_retry_delay`, 180 seconds, every time:
    `retry_backoff`, `retry_backoff_max` and `retry_jitter` apply only to `autoretry_for`, never
    to `self.retry()`. A short blip costs three minutes, and every task that failed at the same
    moment retries at the same moment, in lockstep, against the service that just failed.

    ## Example
    ```python
    @shared_task(bind=True)
    def sync(self, sku):
        try:
            push(sku)
        except ConnectionError as exc:
            raise self.retry(exc=exc)
    ```

    ## Use instead
    ```python
    import random

    @shared_task(bind=True)
    def sync(self, sku):
        try:
            push(sku)
        except ConnectionError as exc:
            # exponential backoff with jitter, as autoretry_for would do
            raise self.retry(exc=exc, countdown=random.uniform(0, 2 ** self.request.retries))
    ```

    ## Fix safety
    No fix: the delay is the author's choice. Not reported when the task's effective options
    set `default_retry_delay` (decorator, `base=` class) or may (options we cannot read), or the
    call passes `**kwargs`.
    """

    CODE = "CEL206"
    NAME = "manual-retry-without-countdown"
    MESSAGE = "`self.retry()` without `countdown`/`eta` waits the fixed `default_retry_delay` (180 s) every try"
    HELP = "pass a growing `countdown`, e.g. `2 ** self.request.retries` with jitter"
    TRIGGERS = (b"retry",)
    KEEP_WORDS = ()  # retry calls in task bodies only (kept by decorators / `run`)

    VALID = [
        Valid(
            """
            from celery import shared_task

            @shared_task(bind=True)
            def sync(self, sku):
                raise self.retry(countdown=2 ** self.request.retries)
            """
        ),
        Valid(
            """
            from celery import shared_task

            @shared_task(bind=True, default_retry_delay=30)
            def sync(self, sku):
                raise self.retry()
            """
        ),
        Valid(
            """
            from celery import shared_task
            from shop.base import BaseTask

            @shared_task(bind=True, base=BaseTask)  # may set default_retry_delay
            def sync(self, sku):
                raise self.retry()
            """
        ),
        Valid(
            """
            def helper(self):
                self.retry()  # not a task
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from celery import shared_task

            @shared_task(bind=True)
            def sync(self, sku):
                try:
                    push(sku)
                except ConnectionError as exc:
                    raise self.retry(exc=exc)
            """
        ),
        Invalid(
            """
            from celery import Task

            class Sync(Task):
                def run(self, sku):
                    raise self.retry(max_retries=5)
            """
        ),
    ]

    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        # only files that may define a task
        return super().relevant(source, index, path) and may_define_task(source, index)

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        context = self.context
        for task in module_tasks(node, self.names, context.index if context else None, context.path if context else ""):
            if not task.bound or task.value("default_retry_delay", self.names) is not ABSENT:
                continue
            for call in retry_calls(task):
                if keyword(call, "countdown") is None and keyword(call, "eta") is None and not has_spread(call):
                    self.report(call)
