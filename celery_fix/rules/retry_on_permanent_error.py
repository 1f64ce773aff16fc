import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.constructs.task_bodies import may_define_task
from celery_fix.constructs.autoretry import autoretry_sites

# errors that come back the same on every try: bad input, a missing object, a refusal, a bug
PERMANENT = {
    "ValueError": "bad input", "TypeError": "a bug or bad input", "KeyError": "a bug or bad input",
    "builtins.ValueError": "bad input", "builtins.TypeError": "a bug or bad input",
    "builtins.KeyError": "a bug or bad input",
    "django.core.exceptions.ValidationError": "invalid data",
    "django.forms.ValidationError": "invalid data",
    "rest_framework.exceptions.ValidationError": "invalid data",
    "django.core.exceptions.ObjectDoesNotExist": "a missing object",
    "django.core.exceptions.PermissionDenied": "a refusal",
}


class RetryOnPermanentErrorRule(rule.CeleryRule):
    """
    ## What it does
    Checks for `autoretry_for` listing errors that retrying cannot cure: Django's
    `ValidationError`, `ObjectDoesNotExist` and any `Model.DoesNotExist`, `PermissionDenied`, and
    `ValueError`, `TypeError`, `KeyError` (names resolved through the imports; in a decorator or
    a task class's attribute).

    ## Why is this bad?
    The same input fails the same way on every try: the task runs `max_retries` more times
    (3 unless set), each after `default_retry_delay` (180 s) or the backoff, and then fails
    anyway — minutes later, after repeating any side effect before the failing line.
    A `DoesNotExist` right after a dispatch is usually the task running before the
    transaction that created the row committed: dispatch with `transaction.on_commit` instead
    (CEL701) rather than retrying until it happens to be there.

    ## Example
    ```python
    @shared_task(autoretry_for=(ConnectionError, Order.DoesNotExist), retry_backoff=True)
    def send_receipt(order_id): ...
    ```

    ## Use instead
    ```python
    @shared_task(autoretry_for=(ConnectionError,), retry_backoff=True)
    def send_receipt(order_id): ...
    ```

    ## Fix safety
    No fix: removing an error from `autoretry_for` changes what the task does on failure.
    """

    CODE = "CEL204"
    NAME = "retry-on-permanent-error"
    MESSAGE = "`autoretry_for` includes `{name}` ({what}), which retrying cannot cure"
    HELP = "retry only transient errors"
    TRIGGERS = (b"autoretry_for",)

    VALID = [
        Valid(
            """
            from celery import shared_task

            @shared_task(autoretry_for=(ConnectionError, TimeoutError))
            def sync(sku): ...
            """
        ),
        Valid(
            """
            from celery import shared_task
            from shop.errors import ValidationError

            @shared_task(autoretry_for=(ValidationError,))  # the project's own error
            def sync(sku): ...
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from celery import shared_task
            from django.core.exceptions import ValidationError as DjangoValidationError

            @shared_task(autoretry_for=(IOError, DjangoValidationError))
            def sync(sku): ...
            """
        ),
        Invalid(
            """
            from celery import shared_task
            from shop.models import Order

            @shared_task(autoretry_for=(Order.DoesNotExist,))
            def send_receipt(order_id): ...
            """
        ),
        Invalid(
            """
            import celery

            class BaseTask(celery.Task):
                autoretry_for = (KeyError,)
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
            for name, element in site.exceptions:
                what = PERMANENT.get(name) or ("a missing object" if name.endswith(".DoesNotExist") else None)
                if what is None:
                    continue
                short = name if name.endswith(".DoesNotExist") and "." not in name[:-len(".DoesNotExist")] \
                    else name.rsplit(".", 1)[-1] if not name.endswith(".DoesNotExist") else ".".join(name.split(".")[-2:])
                self.report(element if element is not None else site.node, self.MESSAGE.format(name=short, what=what))
