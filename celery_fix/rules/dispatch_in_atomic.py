from typing import Optional

import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import dispatch_base as dispatch_rule
from celery_fix.ruleset import base as rule
from celery_fix.constructs.dispatch import Dispatch


class DispatchInAtomicRule(dispatch_rule.DispatchRuleMixin, rule.CeleryRule):
    """
    ## What it does
    Checks for tasks sent (`.delay()`, `.apply_async()`, `send_task()`, a canvas being run) inside
    `transaction.atomic()`: a `with transaction.atomic():` block (any import form or alias, with
    `using=`, nested blocks), a function decorated `@transaction.atomic`, a project wrapper around
    it (found by the ProjectIndex, or defined in the same module) or a name listed in the
    `atomic-functions` option. Code in a nested `def`/`lambda`/class, or already inside
    `transaction.on_commit(...)`, does not run in the block and is not reported.

    ## Why is this bad?
    The message reaches the broker at once, but the rows the task needs are committed only when
    the block ends. A fast worker runs the task first and finds no row (or stale data); and when
    the transaction rolls back, the task runs anyway, for an order that does not exist.

    ## Example
    ```python
    with transaction.atomic():
        order = Order.objects.create(...)
        send_receipt.delay(order.id)
    ```

    ## Use instead
    ```python
    with transaction.atomic():
        order = Order.objects.create(...)
        transaction.on_commit(partial(send_receipt.delay, order.id))
    ```

    ## Fix safety
    Safe when the dispatch is a statement of its own: it becomes
    `transaction.on_commit(partial(task.delay, ...))`, so the arguments are still evaluated now
    (a lambda would read them at commit time, and in a loop every callback would see the last
    item); keyword arguments and `apply_async(args=..., countdown=...)` keep their meaning and
    `atomic(using="x")` gives `on_commit(..., using="x")`. Option `on-commit-style`: `"partial"`
    (default), `"lambda"` (only where nothing the call reads is rebound later in the block,
    else partial) or `"delay_on_commit"` (`task.delay_on_commit(...)`, only where the task's
    class provably is Celery's `DjangoTask`, else on_commit). Unsafe when the block can raise
    after the dispatch (a `raise`/`assert` later in the block or loop, or an `except` that
    re-raises): today the task is sent although the transaction rolls back, after the fix it is
    not, which may have been the intent. No fix when the dispatch's value is used (`on_commit`
    returns None).
    Tests change: inside Django's `TestCase` (or pytest-django's `django_db` without
    `transaction=True`) nothing commits, so after the fix the task is not sent there; a test
    that expects it wraps the call in `with self.captureOnCommitCallbacks(execute=True):`
    (pytest-django: the `django_capture_on_commit_callbacks` fixture) or uses
    `TransactionTestCase`. Fixed statements are wrapped at the project's line length, and the
    imports go where its import sorter puts them.
    """

    CODE = "CEL701"
    NAME = "dispatch-in-atomic"
    MESSAGE = "task sent inside an atomic block"
    HELP = "send it from `transaction.on_commit()`"
    FIX_TITLE = "Send the task from `transaction.on_commit(partial(...))`"
    FIX_KIND = "safe/unsafe"
    SEVERITY = "error"
    TRIGGERS = dispatch_rule.DISPATCH_TRIGGERS
    KEEP_WORDS = dispatch_rule.DISPATCH_KEEP_WORDS

    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        # a dispatch and an atomic block: `atomic` itself, or a project wrapper's name
        if not super().relevant(source, index, path):
            return False
        if b"atomic" in source:
            return True
        wrappers = getattr(index, "atomic_wrappers", None)
        if index is None or wrappers is None:
            return True
        return any(q.rsplit(".", 1)[-1].encode() in source for q in wrappers)
    OPTIONS = dict(dispatch_rule.OPTIONS)

    VALID = [
        Valid(
            """
            from functools import partial
            from django.db import transaction
            from shop.tasks import send_receipt

            def place(order):
                with transaction.atomic():
                    order.save()
                    transaction.on_commit(partial(send_receipt.delay, order.id))
            """
        ),
        Valid(
            """
            from django.db import transaction
            from shop.tasks import send_receipt

            def place(order):
                with transaction.atomic():
                    order.save()
                    def later():
                        send_receipt.delay(order.id)
                    transaction.on_commit(later)
            """
        ),
        Valid(
            """
            from shop.tasks import send_receipt

            def place(order, transaction):
                with transaction.atomic():
                    send_receipt.delay(order.id)
            """
        ),
        Valid(
            """
            from django.db import transaction
            from shop.tasks import send_receipt

            def place(order):
                with transaction.atomic():
                    order.save()
                send_receipt.delay(order.id)
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from functools import partial
            from django.db import transaction
            from shop.tasks import send_receipt

            def place(order):
                with transaction.atomic():
                    order.save()
                    send_receipt.delay(order.id, notify=True)
            """,
            expected_replacement="""
            from functools import partial
            from django.db import transaction
            from shop.tasks import send_receipt

            def place(order):
                with transaction.atomic():
                    order.save()
                    transaction.on_commit(partial(send_receipt.delay, order.id, notify=True))
            """,
        ),
        Invalid(
            """
            from functools import partial
            from django.db import transaction
            from shop.tasks import send_receipt

            @transaction.atomic(using="orders")
            def place(order):
                order.save()
                send_receipt.apply_async(args=(order.id,), countdown=10)
            """,
            expected_replacement="""
            from functools import partial
            from django.db import transaction
            from shop.tasks import send_receipt

            @transaction.atomic(using="orders")
            def place(order):
                order.save()
                transaction.on_commit(partial(send_receipt.apply_async, args=(order.id,), countdown=10), using="orders")
            """,
        ),
        Invalid(
            """
            from django.db import transaction
            from shop.tasks import send_receipt

            def place(order):
                with transaction.atomic():
                    result = send_receipt.delay(order.id)
                return result
            """
        ),
    ]

    def check_dispatch(self, dispatch: Dispatch, statement: Optional[cst.Expr]) -> None:
        context = self.tracker.atomic_context()
        if context is None:
            return
        via = context.innermost.atomic_via
        where = "`transaction.atomic()`" if via == "transaction.atomic" else f"`{via}` (an atomic block)"
        message = f"`{dispatch_rule.snippet(dispatch.call.func)}(...)` inside {where}"
        self.report_dispatch(dispatch, statement, message, context.outermost.node, using=context.using)
