import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.codemods.retry_backoff import DEFAULT_BACKOFF_MAX, add_backoff, plan_backoff


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
    `retry_backoff` is set from a variable or may come from `**options` or a `base=` class;
    a literal `retry_backoff=False` is reported but not changed.
    """

    CODE = "CEL202"
    NAME = "retry-without-backoff"
    MESSAGE = (
        "task retries on `autoretry_for` without `retry_backoff`: every retry waits the fixed "
        "`default_retry_delay` (180 s); add `retry_backoff=True`"
    )
    FIX_TITLE = "Add `retry_backoff=True`"
    SEVERITY = "error"
    TRIGGERS = (b"autoretry_for",)
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

    def visit_Call(self, node: cst.Call) -> None:
        plan = plan_backoff(self.names, node)
        if plan is None:
            return
        if not plan.fixable:
            self.report(node, "`retry_backoff=False` with `autoretry_for`: every retry waits the fixed "
                        "`default_retry_delay` (180 s); consider `retry_backoff=True`")
            return
        fixed = add_backoff(node, self.option("retry-backoff-max"), self.option("explicit-backoff-defaults"))
        self.report(node, replacement=fixed)
