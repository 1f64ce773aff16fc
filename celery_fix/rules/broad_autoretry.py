import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.constructs.task_bodies import may_define_task
from celery_fix.constructs.autoretry import autoretry_sites

BROAD = frozenset({"Exception", "BaseException", "builtins.Exception", "builtins.BaseException"})


class BroadAutoretryRule(rule.CeleryRule):
    """
    ## What it does
    Checks for `autoretry_for` naming `Exception` or `BaseException`: in a task decorator (a
    tuple, a list, a module-level constant, a constant from another module) or as the attribute
    of a task class that tasks inherit (`class BaseTask(Task): autoretry_for = (Exception,)`).

    ## Why is this bad?
    Every error then retries — a bug (`TypeError`, `KeyError`), bad input, a missing row — not
    just the transient failures retrying can cure. Each such failure runs the task again
    `max_retries` times (3 unless set), waiting `default_retry_delay` (180 s) or the backoff
    between tries, before it finally surfaces: errors show up minutes late, side effects before
    the failing line repeat, and the queue fills with doomed work. `BaseException` also retries
    `SystemExit` and `KeyboardInterrupt`.

    ## Example
    ```python
    @shared_task(autoretry_for=(Exception,), retry_backoff=True)
    def sync_stock(sku): ...
    ```

    ## Use instead
    ```python
    @shared_task(autoretry_for=(requests.ConnectionError, requests.Timeout), retry_backoff=True)
    def sync_stock(sku): ...
    ```

    ## Fix safety
    No fix: only the author knows which errors are transient. Reported where `autoretry_for` is
    written, once (a base class's attribute, not every task that inherits it).
    """

    CODE = "CEL201"
    NAME = "broad-autoretry"
    MESSAGE = "`autoretry_for` names `{name}`: every error retries, bugs and bad input included"
    HELP = "name the transient errors instead (e.g. `ConnectionError`, `requests.RequestException`)"
    TRIGGERS = (b"autoretry_for",)

    VALID = [
        Valid(
            """
            from celery import shared_task

            @shared_task(autoretry_for=(ConnectionError,))
            def sync(sku): ...
            """
        ),
        Valid(
            """
            from celery import shared_task
            from shop.errors import Exception

            @shared_task(autoretry_for=(Exception,))  # the project's own class, not the builtin
            def sync(sku): ...
            """
        ),
        Valid(
            """
            class Config:
                autoretry_for = (Exception,)  # not a task class
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from celery import shared_task

            @shared_task(autoretry_for=(Exception,), retry_backoff=True)
            def sync(sku): ...
            """
        ),
        Invalid(
            """
            from celery import shared_task

            RETRY_ON = [IOError, BaseException]

            @shared_task(autoretry_for=RETRY_ON)
            def sync(sku): ...
            """
        ),
        Invalid(
            """
            from celery import Task

            class BaseTask(Task):
                autoretry_for = (Exception,)
            """
        ),
    ]

    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        # only files that may define a task, or a task class tasks inherit from
        return super().relevant(source, index, path) and may_define_task(source, index, classes=True)

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        context = self.context
        for site in autoretry_sites(node, self.names, context.index if context else None, context.path if context else ""):
            broad = [name for name, _ in site.exceptions if name in BROAD]
            if broad:
                name = broad[0].rsplit(".", 1)[-1]
                self.report(site.node, self.MESSAGE.format(name=name))
