import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.constructs.task_bodies import module_tasks, may_define_task
from celery_fix.syntax.walk import walk


class PrintInTaskRule(rule.CeleryRule):
    """
    ## What it does
    Checks for `print(...)` in a task body.

    ## Why is this bad?
    A worker's stdout is not a log: Celery redirects it to its own logger at `WARNING` level
    (`worker_redirect_stdouts_level`) with no task name or id, or it is lost when the worker
    runs detached. What the task printed cannot be filtered, searched by task id or alerted on.

    ## Example
    ```python
    @shared_task
    def sync(sku):
        print("syncing", sku)
    ```

    ## Use instead
    ```python
    from celery.utils.log import get_task_logger

    logger = get_task_logger(__name__)

    @shared_task
    def sync(sku):
        logger.info("syncing %s", sku)
    ```

    ## Fix safety
    No fix: the level and the logger are the author's choice. `print` rebound in the module
    (an import, an assignment) is not the builtin and not reported.
    """

    CODE = "CEL904"
    NAME = "print-in-task"
    MESSAGE = "`print()` in a task: the worker's stdout carries no task name, id or level"
    HELP = "use a logger (`get_task_logger(__name__)`)"
    TRIGGERS = (b"print",)
    # prints in task bodies (kept by decorators / `run`); a module's own `print`, which silences the
    # rule, is kept by the name a print call in a task spells
    KEEP_WORDS = ()

    VALID = [
        Valid(
            """
            from celery import shared_task

            def report(x):
                print(x)  # not a task
            """
        ),
        Valid(
            """
            from celery import shared_task
            from rich import print

            @shared_task
            def sync(sku):
                print(sku)
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from celery import shared_task

            @shared_task
            def sync(sku):
                print("syncing", sku)
            """
        ),
    ]

    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        # only files that may define a task
        return super().relevant(source, index, path) and may_define_task(source, index)

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        if "print" in self.names.bindings:
            return
        context = self.context
        for task in module_tasks(node, self.names, context.index if context else None, context.path if context else ""):
            def enter(child: cst.CSTNode) -> bool:
                if isinstance(child, cst.Call) and isinstance(child.func, cst.Name) and child.func.value == "print":
                    self.report(child)
                return True

            walk(task.function, enter)
