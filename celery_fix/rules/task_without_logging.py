import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.constructs.logging_calls import is_logging_call
from celery_fix.constructs.task_bodies import inner_statements, module_tasks, may_define_task
from celery_fix.syntax.walk import walk


class TaskWithoutLoggingRule(rule.CeleryRule):
    """
    ## What it does
    Checks for tasks whose body, and the functions of the same module it calls directly, never
    log (`logging`, `get_task_logger`, `structlog`, `loguru`, `sentry_sdk`, or `logger.*` /
    `log.*`). Trivial tasks are skipped: fewer than `min-statements` statements (3 by default,
    a docstring not counted) — a task that only calls a service function logs there, if anywhere.

    ## Why is this bad?
    A task runs far from any request: when it misbehaves, its log lines are the only record of
    what it did, for which input. Celery logs only that a task was received and succeeded or
    failed (and at what time), not what it decided.

    ## Example
    ```python
    @shared_task
    def sync_stock(warehouse_id):
        warehouse = Warehouse.objects.get(pk=warehouse_id)
        rows = fetch(warehouse)
        Stock.objects.bulk_update(rows, ["quantity"])
    ```

    ## Use instead
    ```python
    logger = get_task_logger(__name__)

    @shared_task
    def sync_stock(warehouse_id):
        warehouse = Warehouse.objects.get(pk=warehouse_id)
        rows = fetch(warehouse)
        Stock.objects.bulk_update(rows, ["quantity"])
        logger.info("synced %d rows for warehouse %s", len(rows), warehouse_id)
    ```

    ## Fix safety
    No fix. Off by default: on real projects many small tasks delegate to code in other modules
    that logs, which this rule cannot see.
    """

    CODE = "CEL901"
    NAME = "task-without-logging"
    MESSAGE = "task never logs (nor the functions of this module it calls)"
    HELP = "log its decisions (`logger = get_task_logger(__name__)`)"
    ENABLED_BY_DEFAULT = False
    OPTIONS = {"min-statements": 3}
    TRIGGERS = (b"task", b"Task")
    KEEP_WORDS = ()  # task bodies and the module functions they call (kept by name)

    VALID = [
        Valid(
            """
            from celery import shared_task
            from celery.utils.log import get_task_logger

            logger = get_task_logger(__name__)

            @shared_task
            def sync(sku):
                item = load(sku)
                push(item)
                logger.info("pushed %s", sku)
            """
        ),
        Valid(
            """
            import logging
            from celery import shared_task

            def _push(item):
                logging.getLogger(__name__).info("pushing %s", item)

            @shared_task
            def sync(sku):
                item = load(sku)
                check(item)
                _push(item)
            """
        ),
        Valid(
            """
            from celery import shared_task

            @shared_task
            def sync(sku):
                push(sku)  # trivial: one call
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from celery import shared_task

            @shared_task
            def sync(sku):
                item = load(sku)
                check(item)
                push(item)
            """
        ),
    ]

    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        # only files that may define a task
        return super().relevant(source, index, path) and may_define_task(source, index)

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        functions = {s.name.value: s for s in node.body if isinstance(s, cst.FunctionDef)}
        context = self.context
        for task in module_tasks(node, self.names, context.index if context else None, context.path if context else ""):
            if len(inner_statements(task.function)) < self.option("min-statements"):
                continue
            if not self._logs(task.function, functions, depth=0):
                self.report(task.report_node)

    def _logs(self, function: cst.FunctionDef, functions: dict, depth: int) -> bool:
        found = False
        called: list[cst.FunctionDef] = []

        def enter(node: cst.CSTNode) -> bool:
            nonlocal found
            if found:
                return False
            if isinstance(node, cst.Call):
                if is_logging_call(node, self.names):
                    found = True
                    return False
                if isinstance(node.func, cst.Name) and node.func.value in functions:
                    callee = functions[node.func.value]
                    if callee is not function:
                        called.append(callee)
            return True

        walk(function, enter)
        if found:
            return True
        return depth == 0 and any(self._logs(callee, functions, depth + 1) for callee in called)
