from typing import Any, Optional

import libcst as cst
from fixit import Valid

from celery_fix.ruleset import base as rule
from celery_fix.constructs.names import CELERY_APP_FACTORIES
from celery_fix.constructs.results import _module_statements, index_of, same_file

# dispatch keywords that choose where a message goes (`**options` may too)
_ROUTING_ARGS = ("queue=", "routing_key=", "exchange=", "**")


class NoQueueRoutingRule(rule.CeleryRule):
    """
    ## What it does
    Checks for projects that define several tasks (option `min-tasks`, 3 by default) and route
    none of them: no `task_routes` setting, no `queue=` on any task, dispatch or beat entry, no
    `task_annotations`. Reported once, at the project's Celery app (`Celery(...)`). Needs the
    ProjectIndex (without it the rule reports nothing). Routing a dispatch through
    `sig.set(queue=...)` or a command-line `-Q` with custom routers is not visible to it.

    ## Why is this bad?
    Every task shares Celery's default queue (`celery`): a flood of slow report jobs delays the
    password-reset email and the payment capture behind them, and no worker can be dedicated to
    the critical work.

    ## Example
    ```python
    app = Celery("shop")  # and tasks send_receipt, capture_payment, build_report
    ```

    ## Use instead
    ```python
    app = Celery("shop")
    app.conf.task_routes = {"shop.payments.*": {"queue": "payments"}, "shop.reports.*": {"queue": "reports"}}
    ```

    ## Fix safety
    No fix: which tasks belong together is a design decision.
    """

    CODE = "CEL501"
    NAME = "no-queue-routing"
    MESSAGE = "the project's tasks all share the default queue"
    HELP = "route them with `task_routes` or `queue=`"
    NEEDS_INDEX = True
    TRIGGERS = (b"Celery",)

    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        # reported only at the project's first Celery app
        if index is None or not super().relevant(source, index, path):
            return False
        if path is None:
            return True
        app = _first_app(index)
        return app is not None and same_file(app.path, path)
    OPTIONS = {"min-tasks": 3}

    VALID = [
        Valid(
            """
            from celery import Celery

            app = Celery("shop")
            """
        ),
    ]
    INVALID = []  # needs the ProjectIndex: tests/test_result_routing_cel5xx.py and the snapshots

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        index = index_of(self)
        if index is None or not self.context.path:
            return
        app = _first_app(index)
        if app is None or not same_file(app.path, self.context.path):
            return
        tasks = list(index.tasks)
        if len(tasks) < int(self.option("min-tasks")) or routed(index):
            return
        statement = _app_statement(node, self.names, app.qualname.rsplit(".", 1)[-1])
        if statement is None:
            return
        self.report(
            statement,
            f"{len(tasks)} tasks and no routing (no `task_routes`, no `queue=`): they all share the default queue",
        )


def _first_app(index: Any) -> Optional[Any]:
    infos = sorted((getattr(index, "app_infos", None) or {}).values(), key=lambda a: (a.path, a.line))
    return infos[0] if infos else None


def routed(index: Any) -> bool:
    """Whether anything in the project routes a task (or may: an option we cannot read)."""
    all_settings = getattr(index, "all_settings", None) or {}
    if any(key in all_settings for key in ("task_routes", "task_annotations")):
        return True
    for task in index.tasks:
        if task.options_unknown or "queue" in task.options or "routing_key" in task.options or "exchange" in task.options:
            return True
    for site in getattr(index, "dispatches", ()) or ():
        # `**options` counts only on a project task's own dispatch: a generic helper or a
        # `Task.apply_async` override forwarding `**options` routes nothing itself
        if any(arg.startswith(_ROUTING_ARGS[:-1]) or (arg.startswith("**") and site.task) for arg in site.args):
            return True
    for entry in getattr(index, "beat_entries", ()) or ():
        if entry.options_unknown or "queue" in entry.option_keys:
            return True
    return False


def _app_statement(module: cst.Module, names, name: str) -> Optional[cst.CSTNode]:
    for statement in _module_statements(module.body):
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Assign) and isinstance(small.value, cst.Call) \
                    and names.resolve(small.value.func) in CELERY_APP_FACTORIES \
                    and any(isinstance(t.target, cst.Name) and t.target.value == name for t in small.targets):
                return statement
    return None
