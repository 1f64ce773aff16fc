import difflib

import libcst as cst
from fixit import Valid

from celery_fix.ruleset import base as rule
from celery_fix.constructs.results import dict_literals, index_of, project_roots, route_matches, setting_nodes
from celery_fix.index.values import is_unknown

_GLOB = "*?["


class RouteToUnknownTaskRule(rule.CeleryRule):
    """
    ## What it does
    Checks for `task_routes` keys (an exact task name or a glob such as `"orders.tasks.*"`)
    that match no task of the scanned project. Needs the ProjectIndex (without it the rule
    reports nothing). Only keys that point into the project are checked: their first dotted
    component is a top-level package that holds the project's tasks or app; routes for other
    libraries' tasks (`celery.*`, `post_office.tasks.*`) and names the project sends with a
    literal `send_task("...")` are left alone, as are router functions and classes, dotted
    paths to them and `re.compile()` keys, which cannot be evaluated.

    ## Why is this bad?
    A route that matches nothing is a typo or a module that was renamed: the task it meant to
    route silently goes to the default queue, next to everything else — the latent outage
    routing was meant to prevent.

    ## Example
    ```python
    CELERY_TASK_ROUTES = {"orders.task.send_receipt": {"queue": "email"}}
    ```

    ## Use instead
    ```python
    CELERY_TASK_ROUTES = {"orders.tasks.send_receipt": {"queue": "email"}}
    ```

    ## Fix safety
    No fix: which task was meant is a guess (the message names the closest task name).
    """

    CODE = "CEL502"
    NAME = "route-to-unknown-task"
    MESSAGE = "`task_routes` key matches no task in the project"
    HELP = "name a task the project defines (a typo, or a renamed module?)"
    NEEDS_INDEX = True
    TRIGGERS = (b"ROUTES", b"task_routes")

    VALID = [
        Valid(
            """
            CELERY_TASK_ROUTES = {"orders.tasks.send_receipt": {"queue": "email"}}
            """
        ),
    ]
    INVALID = []  # needs the ProjectIndex: tests/test_result_routing_cel5xx.py and the snapshots

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        index = index_of(self)
        tasks = list(getattr(index, "tasks", ()) or ()) if index is not None else []
        if not tasks:
            return
        names = {t.name for t in tasks if t.name}
        if any(t.name is None for t in tasks):
            return  # a task whose `name=` is computed could match any key
        names |= {d.task_name for d in getattr(index, "dispatches", ()) or ()
                  if d.method == "send_task" and isinstance(d.task_name, str) and not is_unknown(d.task_name)}
        roots = project_roots(index)
        for _, value in setting_nodes(node, self.names, "task_routes"):
            for literal in dict_literals(value):
                for element in literal.elements:
                    if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
                        continue
                    key = element.key.evaluated_value
                    if not isinstance(key, str) or not _checkable(key, roots):
                        continue
                    if any(route_matches(key, name) for name in names):
                        continue
                    message, help = _message(key, names)
                    self.report(element.key, message, help=help)


def _checkable(key: str, roots: set[str]) -> bool:
    """Whether the key points into the project: `pkg.x...` with `pkg` a project package (before
    any wildcard)."""
    fixed = key
    for index, char in enumerate(key):
        if char in _GLOB:
            fixed = key[:index]
            break
    if "." not in fixed:
        return False
    return fixed.split(".", 1)[0] in roots


def _message(key: str, names: set[str]) -> tuple[str, str | None]:
    """The message and, for a near-miss of a task name, the help naming it."""
    kind = "glob" if any(c in key for c in _GLOB) else "route"
    close = difflib.get_close_matches(key, sorted(names), n=1, cutoff=0.75) if kind == "route" else []
    return f"`task_routes` {kind} `{key}` matches no task in the project", (f"did you mean `{close[0]}`?" if close else None)
