from typing import Any, Iterator

import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.constructs.task_bodies import (
    class_attributes, keyword, literal, may_define_task, module_tasks, retry_calls, task_classes,
)


class UnboundedRetriesRule(rule.CeleryRule):
    """
    ## What it does
    Checks for `max_retries=None` (retry forever) or a `max_retries` above a bound (option
    `max-retries`, 10 by default): in a task decorator, its `retry_kwargs`, a task class's
    attribute, or a `self.retry(max_retries=...)` call.

    ## Why is this bad?
    A task that can never give up keeps a permanently failing message alive forever: it comes
    back every `default_retry_delay` (or backoff) period, its error is never raised to the
    caller or the error tracker, and a burst of such tasks crowds out the healthy ones. A very
    high bound does the same for hours or days. Celery's default is 3 retries: a missing
    `max_retries` is bounded and not reported.

    ## Example
    ```python
    @shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=None)
    def sync_stock(sku): ...
    ```

    ## Use instead
    ```python
    @shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=8)
    def sync_stock(sku): ...
    ```

    ## Fix safety
    No fix: the right bound depends on how long the failure may last. A value we cannot read
    (a setting, a variable) is not reported.
    """

    CODE = "CEL203"
    NAME = "unbounded-retries"
    MESSAGE = "`max_retries=None` retries forever: a permanent failure never surfaces"
    HELP = "set a bound"
    TRIGGERS = (b"max_retries",)
    SURVIVES_FIXES_OF = rule.DECORATOR_KEYWORD_FIXES  # `max_retries` stays as written
    OPTIONS = {"max-retries": 10}

    VALID = [
        Valid(
            """
            from celery import shared_task

            @shared_task(autoretry_for=(IOError,), max_retries=5)
            def sync(sku): ...
            """
        ),
        Valid(
            """
            from celery import shared_task
            from django.conf import settings

            @shared_task(max_retries=settings.SYNC_RETRIES)
            def sync(sku): ...
            """
        ),
        Valid(
            """
            class HttpConfig:
                max_retries = None  # not a task
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from celery import shared_task

            @shared_task(autoretry_for=(IOError,), max_retries=None)
            def sync(sku): ...
            """
        ),
        Invalid(
            """
            from celery import shared_task

            @shared_task(autoretry_for=(IOError,), retry_kwargs={"max_retries": 50})
            def sync(sku): ...
            """
        ),
        Invalid(
            """
            from celery import Task

            class Forever(Task):
                max_retries = None
            """
        ),
        Invalid(
            """
            from celery import shared_task

            @shared_task(bind=True)
            def sync(self, sku):
                raise self.retry(max_retries=None)
            """
        ),
    ]

    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        # only files that may define a task, or a task class tasks inherit from
        return super().relevant(source, index, path) and may_define_task(source, index, classes=True)

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        for expr in self._sites(node):
            value = literal(expr, self.names)
            if value is None:
                self.report(expr)
            elif isinstance(value, int) and not isinstance(value, bool) and value > self.option("max-retries"):
                self.report(
                    expr,
                    f"`max_retries={value}` is above {self.option('max-retries')}: a permanent failure takes that many tries to surface",
                    help="lower it (the limit is option `max-retries`)",
                )

    def _sites(self, node: cst.Module) -> Iterator[Any]:
        context = self.context
        for task in module_tasks(node, self.names, context.index if context else None, context.path if context else ""):
            if task.decorator is not None:
                for key_expr in (task.written("max_retries"), _dict_entry(task.written("retry_kwargs"), "max_retries")):
                    if key_expr is not None:
                        yield key_expr
            for call in retry_calls(task) if task.bound else ():
                arg = keyword(call, "max_retries")
                if arg is not None:
                    yield arg.value
        for cls in task_classes(node, self.names, context.index if context else None):
            attributes = class_attributes(cls)
            for key_expr in (attributes.get("max_retries"), _dict_entry(attributes.get("retry_kwargs"), "max_retries")):
                if key_expr is not None:
                    yield key_expr


def _dict_entry(expr: Any, key: str) -> Any:
    if isinstance(expr, cst.Dict):
        for element in expr.elements:
            if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString) \
                    and element.key.evaluated_value == key:
                return element.value
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value == "dict":
        arg = keyword(expr, key)
        return arg.value if arg is not None else None
    return None
