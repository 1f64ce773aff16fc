import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.constructs.beat import Resolver, local_bindings
from celery_fix.codemods.crontab_minute import add_minute, minute_missing


class CrontabEveryMinuteRule(rule.CeleryRule):
    """
    ## What it does
    Checks for `crontab(...)` schedules that set the hour, day or month fields but leave `minute`
    at its default `"*"`.

    ## Why is this bad?
    Every crontab field defaults to `"*"`, the minute too: `crontab(hour=3)` fires at 03:00,
    03:01, ... 03:59 — sixty runs instead of one, every night. `crontab(day_of_week="mon")` runs
    1,440 times each Monday.

    ## Example
    ```python
    "nightly-report": {"task": "shop.tasks.report", "schedule": crontab(hour=3)}
    ```

    ## Use instead
    ```python
    "nightly-report": {"task": "shop.tasks.report", "schedule": crontab(hour=3, minute=0)}
    ```

    ## Fix safety
    Unsafe: it adds `minute=0`, which changes when and how often the task runs (once, at the top
    of the hour). That is almost always what was meant, but a schedule that really wants every
    minute of a window should say `minute="*"` — which this rule accepts.
    """

    CODE = "CEL806"
    NAME = "crontab-every-minute"
    MESSAGE = "`crontab(...)` sets hour/day/month but no `minute`: it fires every minute of that hour"
    HELP = "add `minute=0`"
    FIX_TITLE = "Add `minute=0`"
    FIX_KIND = "unsafe"
    TRIGGERS = (b"crontab",)

    VALID = [
        Valid(
            """
            from celery.schedules import crontab

            nightly = crontab(hour=3, minute=0)
            """
        ),
        Valid(
            """
            from celery.schedules import crontab

            window = crontab(minute="*", hour="9-17")
            """
        ),
        Valid(
            """
            from myproject.cron import crontab

            nightly = crontab(hour=3)
            """
        ),
        Valid(
            """
            from celery.schedules import crontab

            def build(crontab):
                return crontab(hour=3)
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from celery.schedules import crontab

            nightly = crontab(hour=3)
            """
        ),
        Invalid(
            """
            from celery import schedules

            weekly = schedules.crontab(day_of_week="mon", hour=7)
            """
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._scopes: list[frozenset[str]] = []

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        self._scopes = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._scopes.append(frozenset(local_bindings(node)))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._scopes.pop()

    def visit_Call(self, node: cst.Call) -> None:
        resolver = Resolver(self.names, self._scopes[-1] if self._scopes else frozenset())
        if minute_missing(resolver, node):
            self.report(node, replacement=add_minute(node), unsafe=True)
