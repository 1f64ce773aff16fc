from typing import Any, Optional

import libcst as cst
from fixit import Valid

from celery_fix.ruleset import base as rule
from celery_fix.index.evaluate import evaluate
from celery_fix.constructs.results import (
    dict_literals,
    find_task,
    index_of,
    module_task_defs,
    queue_name,
    route_queue,
    setting,
    setting_nodes,
)


class UndeclaredQueueRule(rule.CeleryRule):
    """
    ## What it does
    Checks, when the project declares `task_queues` and turns `task_create_missing_queues`
    off, for tasks (`queue="..."`) and `task_routes` entries that name a queue missing from
    `task_queues` (the default queue, `task_default_queue`, counts as declared). Needs the
    ProjectIndex (without it the rule reports nothing); stays quiet when a queue list or name
    is built by code.

    ## Why is this bad?
    With `task_create_missing_queues=False` Celery does not create the queue on the fly: sending
    the task fails with a `QueueNotFound` error (or, for a route, the message never reaches
    a worker that consumes it).

    ## Example
    ```python
    CELERY_TASK_QUEUES = [Queue("default"), Queue("email")]
    CELERY_TASK_CREATE_MISSING_QUEUES = False
    CELERY_TASK_ROUTES = {"shop.tasks.build_report": {"queue": "reports"}}
    ```

    ## Use instead
    ```python
    CELERY_TASK_QUEUES = [Queue("default"), Queue("email"), Queue("reports")]
    ```

    ## Fix safety
    No fix: declaring the queue also means a worker must consume it.
    """

    CODE = "CEL503"
    NAME = "undeclared-queue"
    MESSAGE = "queue missing from `task_queues` while `task_create_missing_queues` is off"
    HELP = "declare the queue (and give it a worker)"
    NEEDS_INDEX = True
    TRIGGERS = (b"queue", b"ROUTES", b"task_routes", b"QUEUES")

    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        # only fires when the project turns task_create_missing_queues off and lists task_queues
        return index is not None and declared_queues(index) is not None and super().relevant(source, index, path)

    VALID = [
        Valid(
            """
            CELERY_TASK_ROUTES = {"shop.tasks.report": {"queue": "reports"}}
            """
        ),
    ]
    INVALID = []  # needs the ProjectIndex: the snapshots

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        index = index_of(self)
        declared = declared_queues(index) if index is not None else None
        if declared is None:
            return
        for definition in module_task_defs(node, self.names):
            info = find_task(index, self.context.path, definition.tail)
            queue = info.options.get("queue") if info is not None else None
            queue = queue_name(queue) if queue is not None else None
            if queue is not None and queue not in declared:
                message, help = _message(f"task `{info.name}` uses queue", queue, declared)
                self.report(definition.decorator, message, help=help)
        for _, value in setting_nodes(node, self.names, "task_routes"):
            for literal in dict_literals(value):
                for element in literal.elements:
                    if not isinstance(element, cst.DictElement):
                        continue
                    queue = route_queue(evaluate(element.value, self.names.resolve))
                    if queue is not None and queue not in declared:
                        message, help = _message("this route sends to queue", queue, declared)
                        self.report(element.value, message, help=help)


def declared_queues(index: Any) -> Optional[set[str]]:
    """The queue names `task_queues` declares, when missing queues are not created; else None."""
    create = setting(index, "task_create_missing_queues")
    if create is None or not create.known or create.value is not False:
        return None
    queues = setting(index, "task_queues")
    if queues is None or not queues.known:
        return None
    value = queues.value
    items = list(value.keys()) if isinstance(value, dict) else list(value) if isinstance(value, (list, tuple)) else None
    if items is None:
        return None
    names = {queue_name(item) for item in items}
    if None in names:
        return None
    default = setting(index, "task_default_queue")
    if default is not None:
        if not default.known or not isinstance(default.value, str):
            return None
        names.add(default.value)
    else:
        names.add("celery")
    return names


def _message(what: str, queue: str, declared: set[str]) -> tuple[str, str]:
    """The message and the help (which lists the declared queues)."""
    listed = ", ".join(f"`{q}`" for q in sorted(declared))
    return (f"{what} `{queue}`, not declared in `task_queues`: sending raises `QueueNotFound`",
            f"declare the queue (and give it a worker), or use one of {listed}")
