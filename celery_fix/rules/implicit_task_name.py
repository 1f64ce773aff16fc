import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.codemods.ignore_result import can_add_option
from celery_fix.codemods.task_name import add_task_name
from celery_fix.constructs.results import find_task, index_of, module_task_defs
from celery_fix.constructs.tasks import defines_any


class ImplicitTaskNameRule(rule.CeleryRule):
    """
    ## What it does
    Checks for function tasks without `name=` (off by default: enable it with
    `--select CEL504` or in the config before moving modules around).

    ## Why is this bad?
    Celery names such a task after where it is defined (`<module>.<function>`). Moving the
    module, renaming the package or the function silently renames the task: beat entries,
    `task_routes` keys, `send_task("...")` calls in other services and the messages already
    waiting in the broker still use the old name, and the worker rejects them as unregistered.

    ## Example
    ```python
    # shop/orders/tasks.py
    @shared_task
    def send_receipt(order_id): ...
    ```

    ## Use instead
    ```python
    @shared_task(name="shop.orders.tasks.send_receipt")
    def send_receipt(order_id): ...
    ```

    ## Fix safety
    Safe: the name written is exactly the one Celery computes today (from the ProjectIndex: the
    dotted path Python imports the module by, through its `__init__.py` chain, plus the function
    name), so nothing changes at run time. Without the ProjectIndex (plain Fixit) the module name
    is not known and the finding comes without a fix. Not modelled, and so not fixed correctly:
    a project that overrides `Celery.gen_task_name`, or task modules run as `__main__`. No fix
    for presets (`retrying = shared_task(...)`), options built by code, or class-based tasks.
    """

    CODE = "CEL504"
    NAME = "implicit-task-name"
    MESSAGE = "task without `name=`: its name changes when the module moves"
    HELP = "pin it with `name=\"...\"`"
    FIX_TITLE = "Add `name=\"<current task name>\"`"
    FIX_KIND = "safe"
    ENABLED_BY_DEFAULT = False
    TRIGGERS = (b"shared_task", b".task")

    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        if not super().relevant(source, index, path):
            return False
        return index is None or defines_any(source, index.tasks)

    VALID = [
        Valid(
            """
            from celery import shared_task

            @shared_task(name="shop.tasks.send_receipt")
            def send_receipt(order_id): ...
            """
        ),
        Valid(
            """
            from celery import shared_task

            @shared_task(**OPTIONS)
            def send_receipt(order_id): ...
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from celery import shared_task

            @shared_task
            def send_receipt(order_id): ...
            """
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        index = index_of(self)
        path = self.context.path if self.context is not None else ""
        for definition in module_task_defs(node, self.names):
            task = definition.task
            if "name" in task.options or task.options_unknown:
                continue
            name = None
            if index is not None and path:
                info = find_task(index, path, definition.tail)
                if info is None or info.name_explicit or "name" in info.options or info.options_unknown:
                    continue  # a base class may name it, or the index does not know it
                name = info.name
            if not name or not can_add_option(self.names, task):
                self.report(definition.decorator)
                continue
            self.report(
                definition.decorator,
                f"task without `name=`: Celery calls it `{name}` until the module or function is renamed",
                help=f"pin it with `name=\"{name}\"`",
                replacement=add_task_name(definition.decorator, name),
            )
