import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.codemods.raise_retry import raise_retry
from celery_fix.constructs.task_bodies import is_task_retry, keyword, module_tasks, may_define_task
from celery_fix.syntax.walk import walk


class RetryNotRaisedRule(rule.CeleryRule):
    """
    ## What it does
    Checks for `self.retry(...)` written as a bare statement in a task, and for `self.retry` in
    a function task without `bind=True`.

    ## Why is this bad?
    `Task.retry()` raises `celery.exceptions.Retry` itself (unless `throw=False`), so the code
    after a bare `self.retry(...)` never runs — but it reads as if it does: the next line looks
    live, a `return` after it looks needed, and linters and readers miss that the function ends
    there. Celery's documentation writes `raise self.retry(...)` for that reason.
    Without `bind=True` the task function gets no `self`: `self.retry` is a `NameError` (or
    whatever `self` is in the enclosing scope) the first time the task fails.

    ## Example
    ```python
    @shared_task(bind=True)
    def sync(self, sku):
        try:
            push(sku)
        except ConnectionError as exc:
            self.retry(exc=exc, countdown=60)
    ```

    ## Use instead
    ```python
    @shared_task(bind=True)
    def sync(self, sku):
        try:
            push(sku)
        except ConnectionError as exc:
            raise self.retry(exc=exc, countdown=60)
    ```

    ## Fix safety
    Safe: `retry()` raises before the added `raise` is reached, so behaviour is unchanged (the
    integration test runs both under a real worker). No fix with `throw=False` (then `retry()`
    returns and the code goes on, on purpose) or `**kwargs` that may hold `throw`. A `self.retry`
    in a task without `bind=True` is reported without a fix: adding `bind=True` shifts every
    parameter by one.
    """

    CODE = "CEL205"
    NAME = "retry-not-raised"
    MESSAGE = "`self.retry(...)` raises `Retry` itself, so nothing after this line runs"
    HELP = "write `raise self.retry(...)` to make that visible"
    FIX_TITLE = "Write `raise self.retry(...)`"
    TRIGGERS = (b"retry",)
    KEEP_WORDS = ()  # retry calls in task bodies only (kept by decorators / `run`)

    VALID = [
        Valid(
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
        Valid(
            """
            from celery import shared_task

            @shared_task(bind=True)
            def sync(self, sku):
                self.retry(countdown=5, throw=False)  # returns: goes on on purpose
                return "scheduled"
            """
        ),
        Valid(
            """
            class Client:
                def fetch(self):
                    self.retry()  # not a task
            """
        ),
        Valid(
            """
            from celery import shared_task

            @shared_task(bind=True)
            def sync(self, sku):
                self.session.retry()  # not Celery's retry
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
                    self.retry(exc=exc, countdown=60)
            """,
            expected_replacement="""
            from celery import shared_task

            @shared_task(bind=True)
            def sync(self, sku):
                try:
                    push(sku)
                except ConnectionError as exc:
                    raise self.retry(exc=exc, countdown=60)
            """,
        ),
        Invalid(
            """
            from celery import shared_task

            @shared_task
            def sync(sku):
                self.retry(countdown=60)
            """,
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
            if task.bound:
                self._bound(task)
            elif task.cls is None:
                self._unbound(task)

    def _bound(self, task) -> None:
        param = task.task_param
        if param is None:
            return

        def enter(node: cst.CSTNode) -> bool:
            if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)) and node is not task.function:
                return False
            if isinstance(node, cst.Expr) and isinstance(node.value, cst.Call) and is_task_retry(node.value, param):
                call = node.value
                if keyword(call, "throw") is not None or any(arg.star == "**" for arg in call.args):
                    if keyword(call, "throw") is None:
                        self.report(node, note="no automatic fix: `**kwargs` may hold `throw=False`")
                    return False
                self.report(node, replacement=raise_retry(node))
                return False
            return True

        walk(task.function, enter)

    def _unbound(self, task) -> None:
        params = [p.name.value for p in task.function.params.params]
        if "self" in params:
            return

        def enter(node: cst.CSTNode) -> bool:
            if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)) and node is not task.function:
                return False
            if isinstance(node, cst.Call) and is_task_retry(node, "self"):
                self.report(
                    node,
                    "`self.retry` in a task without `bind=True`: it fails the first time it runs",
                    help="add `bind=True` and a first `self` parameter",
                )
            return True

        walk(task.function, enter)
