import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.constructs.handlers import handlers, is_broad, is_log_statement, is_reraise, small_statements
from celery_fix.constructs.task_bodies import ABSENT, module_tasks, retry_calls, may_define_task


class ReraiseWithoutRetryRule(rule.CeleryRule):
    """
    ## What it does
    Checks for a broad `except` (`except:`, `Exception`, `BaseException`) that only re-raises,
    or logs and re-raises, in a task that has no `autoretry_for` (in its decorator or inherited
    from its `base=` class) and never calls `self.retry`.

    ## Why is this bad?
    The handler shows the author expected failures here, yet every failure — a dropped
    connection, a timeout, a deadlock — ends the task for good: Celery retries only on
    `autoretry_for` or `self.retry()`. The work is lost until someone re-runs it by hand.

    ## Example
    ```python
    @shared_task
    def sync(sku):
        try:
            push(sku)
        except Exception:
            logger.exception("push failed")
            raise
    ```

    ## Use instead
    ```python
    @shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True)
    def sync(sku):
        push(sku)
    ```

    ## Fix safety
    No fix: which errors are transient is the author's choice. Not reported when the task's
    options may set `autoretry_for` (a base class we cannot read, `**options`).
    """

    CODE = "CEL207"
    NAME = "reraise-without-retry"
    MESSAGE = "broad `except` that only re-raises, in a task that never retries"
    HELP = "retry the transient errors (`autoretry_for` or `self.retry()`)"
    TRIGGERS = (b"except",)
    KEEP_WORDS = ()  # handlers in task bodies only (kept by decorators / `run`)

    VALID = [
        Valid(
            """
            from celery import shared_task

            @shared_task(autoretry_for=(ConnectionError,))
            def sync(sku):
                try:
                    push(sku)
                except Exception:
                    raise
            """
        ),
        Valid(
            """
            from celery import shared_task

            @shared_task(bind=True)
            def sync(self, sku):
                try:
                    push(sku)
                except Exception as exc:
                    raise self.retry(exc=exc, countdown=10)
            """
        ),
        Valid(
            """
            from celery import shared_task
            from shop.base import RetryingTask

            @shared_task(base=RetryingTask)  # may retry: its options are unknown without the index
            def sync(sku):
                try:
                    push(sku)
                except Exception:
                    raise
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            import logging
            from celery import shared_task

            logger = logging.getLogger(__name__)

            @shared_task
            def sync(sku):
                try:
                    push(sku)
                except Exception as exc:
                    logger.error("push failed: %s", exc)
                    raise exc
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
            retry_on = task.value("autoretry_for", self.names)
            if not (retry_on is ABSENT or isinstance(retry_on, cst.Tuple) and not retry_on.elements):
                continue
            if task.bound and retry_calls(task):
                continue
            for handler in handlers(task.function):
                if not is_broad(handler, self.names):
                    continue
                statements = small_statements(handler)
                if statements and is_reraise(statements[-1], handler) and all(
                        is_log_statement(s, self.names) for s in statements[:-1]):
                    self.report(handler)
