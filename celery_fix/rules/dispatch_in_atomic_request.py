from typing import Optional

import libcst as cst
from fixit import Valid

from celery_fix.ruleset import dispatch_base as dispatch_rule
from celery_fix.ruleset import base as rule
from celery_fix.constructs.dispatch import Dispatch
from celery_fix.constructs.scopes import NON_ATOMIC_REQUESTS, parameter_names
from celery_fix.constructs.views import is_view_class


class DispatchInAtomicRequestRule(dispatch_rule.DispatchRuleMixin, rule.CeleryRule):
    """
    ## What it does
    With `ATOMIC_REQUESTS` on for a database (read from the settings by the ProjectIndex; without
    the index the rule reports nothing), checks for view code that sends a task directly: function
    views taking `request`, and methods of `View`/`APIView`/`ViewSet`/`GenericAPIView` subclasses,
    unless marked `@transaction.non_atomic_requests`.

    ## Why is this bad?
    Django wraps every such view in `transaction.atomic()`. The task is sent before the request's
    transaction commits: the worker can run it before the rows exist, or although the view fails
    and everything rolls back.

    ## Example
    ```python
    def checkout(request):
        order = Order.objects.create(user=request.user)
        send_receipt.delay(order.id)
        return redirect("done")
    ```

    ## Use instead
    ```python
    def checkout(request):
        order = Order.objects.create(user=request.user)
        transaction.on_commit(partial(send_receipt.delay, order.id))
        return redirect("done")
    ```

    ## Fix safety
    Safe: the task is sent after the request's commit (and at once where no transaction is open).
    Unsafe when the view can raise after the dispatch; no fix when the dispatch's value is used.
    `on-commit-style` applies as for CEL701. Dispatches in an explicit atomic block are CEL701's.
    Tests change: inside Django's `TestCase` (or pytest-django's `django_db` without
    `transaction=True`) nothing commits, so after the fix the task is not sent there; a test
    that expects it wraps the call in `with self.captureOnCommitCallbacks(execute=True):`
    (pytest-django: the `django_capture_on_commit_callbacks` fixture) or uses
    `TransactionTestCase`. Fixed statements are wrapped at the project's line length, and the
    imports go where its import sorter puts them.
    """

    CODE = "CEL703"
    NAME = "dispatch-in-atomic-request"
    MESSAGE = "task sent from a view while `ATOMIC_REQUESTS` is on"
    HELP = "send it from `transaction.on_commit()`"
    FIX_TITLE = "Send the task from `transaction.on_commit(partial(...))`"
    FIX_KIND = "safe/unsafe"
    SEVERITY = "error"
    NEEDS_INDEX = True
    TRIGGERS = dispatch_rule.DISPATCH_TRIGGERS
    KEEP_WORDS = dispatch_rule.DISPATCH_KEEP_WORDS

    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        # only fires with ATOMIC_REQUESTS on (known from the index), in view code
        if index is not None and getattr(index, "atomic_requests", None) is not True:
            return False
        return super().relevant(source, index, path) and b"request" in source
    OPTIONS = dict(dispatch_rule.OPTIONS)

    VALID = [
        Valid(
            """
            from shop.tasks import send_receipt

            def checkout(request):
                send_receipt.delay(request.user.pk)
            """
        ),
    ]
    INVALID = []  # needs the ProjectIndex: tested in tests/test_transaction_index_rules.py

    def check_dispatch(self, dispatch: Dispatch, statement: Optional[cst.Expr]) -> None:
        index = self.index
        if index is None or getattr(index, "atomic_requests", None) is not True:
            return
        if self.tracker.atomic_context() is not None:
            return  # CEL701's
        function = self.tracker.enclosing_function()
        if function is None or self._non_atomic(function.node.decorators):
            return
        klass = self.tracker.enclosing_class_of(function)
        node = function.node
        if klass is not None:
            if not self._is_view_class(klass) or self._non_atomic(klass.decorators):
                return
            where = f"`{klass.name.value}.{node.name.value}()`"
        else:
            params = parameter_names(node.params)
            outer = [f for f in self.tracker.frames if f.kind != "with"]
            if not params or params[0] != "request" or outer[0] is not function:
                return
            where = f"the view `{node.name.value}()`"
        message = f"`{dispatch_rule.snippet(dispatch.call.func)}(...)` in {where} while `ATOMIC_REQUESTS` is on"
        self.report_dispatch(dispatch, statement, message, node)

    def _non_atomic(self, decorators) -> bool:
        for decorator in decorators:
            for node in _names_in(decorator.decorator):
                if self.tracker.resolve(node) in NON_ATOMIC_REQUESTS:
                    return True
        return False

    def _is_view_class(self, klass: cst.ClassDef) -> bool:
        return is_view_class(klass, self.tracker.resolve)


def _names_in(expr: cst.BaseExpression):
    """The dotted names in a decorator: `x`, `x(...)`, `method_decorator(x, name=...)`."""
    if isinstance(expr, (cst.Name, cst.Attribute)):
        yield expr
    elif isinstance(expr, cst.Call):
        yield from _names_in(expr.func)
        for arg in expr.args:
            yield from _names_in(arg.value)
