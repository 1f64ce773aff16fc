from pathlib import Path
from typing import Any, Optional

import libcst as cst
from fixit import Valid

from celery_fix.ruleset import dispatch_base as dispatch_rule
from celery_fix.ruleset import base as rule
from celery_fix.constructs.dispatch import Dispatch
from celery_fix.constructs.modules import module_name_for


class DispatchInAtomicCallerRule(dispatch_rule.DispatchRuleMixin, rule.CeleryRule):
    """
    ## What it does
    Checks for functions that send a task and are called, directly or through other project
    functions, from inside an atomic block elsewhere in the project (needs the ProjectIndex's
    call graph; without it the rule reports nothing). The finding is at the dispatch and names
    the atomic caller.

    ## Why is this bad?
    The dispatch runs inside the caller's transaction: the worker can run the task before the
    commit (and not find the row), or run it although the transaction rolls back.

    ## Example
    ```python
    def notify_customer(order):          # services.py
        send_receipt.delay(order.id)

    with transaction.atomic():           # views.py
        order.save()
        notify_customer(order)
    ```

    ## Use instead
    ```python
    def notify_customer(order):
        transaction.on_commit(partial(send_receipt.delay, order.id))
    ```

    ## Fix safety
    Safe: called outside a transaction, `on_commit` runs the callback at once, as before; inside
    one, the task is sent after the commit. Unsafe when the function can raise after the
    dispatch; no fix when the dispatch's value is used. `on-commit-style` applies as for CEL701.
    Dispatches inside an atomic block of their own function are CEL701's.
    Tests change: inside Django's `TestCase` (or pytest-django's `django_db` without
    `transaction=True`) nothing commits, so after the fix the task is not sent there; a test
    that expects it wraps the call in `with self.captureOnCommitCallbacks(execute=True):`
    (pytest-django: the `django_capture_on_commit_callbacks` fixture) or uses
    `TransactionTestCase`. Fixed statements are wrapped at the project's line length, and the
    imports go where its import sorter puts them.
    """

    CODE = "CEL702"
    NAME = "dispatch-in-atomic-caller"
    MESSAGE = "task sent from a function that is called inside an atomic block"
    HELP = "send it from `transaction.on_commit()`"
    FIX_TITLE = "Send the task from `transaction.on_commit(partial(...))`"
    FIX_KIND = "safe/unsafe"
    SEVERITY = "error"
    NEEDS_INDEX = True
    TRIGGERS = dispatch_rule.DISPATCH_TRIGGERS
    KEEP_WORDS = dispatch_rule.DISPATCH_KEEP_WORDS

    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        # only in files that define a function the index sees called inside an atomic block
        if not super().relevant(source, index, path):
            return False
        if index is None:
            return True
        callers = atomic_callers(index)
        if path is not None:
            # the rule reports in functions named `<this module>.<...>`: the index knows which
            module = index.module_name(path) if hasattr(index, "module_name") else module_name_for(Path(path))
            if module:
                return any(q.startswith(module + ".") for q in callers)
        return any(q.rsplit(".", 1)[-1].encode() in source for q in callers)
    OPTIONS = dict(dispatch_rule.OPTIONS)

    VALID = [
        Valid(
            """
            from shop.tasks import send_receipt

            def notify_customer(order):
                send_receipt.delay(order.id)
            """
        ),
    ]
    INVALID = []  # needs the ProjectIndex: tested in tests/test_transaction_index_rules.py

    def check_dispatch(self, dispatch: Dispatch, statement: Optional[cst.Expr]) -> None:
        index = self.index
        if index is None or self.tracker.atomic_context() is not None:
            return
        function = self.tracker.enclosing_function()
        qualname = self.tracker.function_qualname(function) if function is not None else None
        if qualname is None:
            return
        site = atomic_callers(index).get(qualname)
        if site is None:
            return
        caller, path, line, chain = site
        here = self.context is not None and path == self.context.path
        where = f"line {line}" if here else f"{path}:{line}"  # the same file: no path to repeat
        if len(chain) > 1:
            where += ", through " + " -> ".join(f"`{q.rsplit('.', 1)[-1]}()`" for q in chain[:-1])
        message = f"`{dispatch_rule.snippet(dispatch.call.func)}(...)` runs inside `{caller.rsplit('.', 1)[-1]}()`'s atomic block"
        help = f"{self.HELP} (`{function.node.name.value}()` is called from `{caller}` at {where})"
        self.report_dispatch(dispatch, statement, message, function.node, help=help)


_CACHE: dict[int, tuple[Any, dict[str, tuple[str, str, int]]]] = {}


MAX_CHAIN = 3  # project functions between the atomic block and the dispatch


def atomic_callers(index: Any) -> dict[str, tuple[str, str, int, tuple[str, ...]]]:
    """Function qualname -> (caller, path, line, chain) of a call inside an atomic block that
    reaches it, directly or through at most MAX_CHAIN project functions (the index's call graph,
    breadth first: the shortest chain); `chain` is the functions called, the last one this one."""
    cached = _CACHE.get(id(index))
    if cached is not None and cached[0] is index:
        return cached[1]
    reached: dict[str, tuple[str, str, int, tuple[str, ...]]] = {}
    queue = []
    for caller, callee, path, line in getattr(index, "atomic_call_sites", None) or ():
        if callee not in reached:
            reached[callee] = (caller, path, line, (callee,))
            queue.append(callee)
    calls = getattr(index, "calls", None) or {}
    while queue:
        current = queue.pop(0)
        caller, path, line, chain = reached[current]
        if len(chain) >= MAX_CHAIN:
            continue
        for callee in sorted(calls.get(current, ())):
            if callee not in reached:
                reached[callee] = (caller, path, line, (*chain, callee))
                queue.append(callee)
    _CACHE.clear()
    _CACHE[id(index)] = (index, reached)
    return reached
