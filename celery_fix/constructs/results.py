"""Helpers shared by the result-backend (CEL4xx) and routing (CEL5xx) rules: finding this file's
tasks in the ProjectIndex, whether results are stored at all, and reading `task_routes`.

Everything here takes the ProjectIndex as `Any` (plain data, see celery_fix/index/build.py) and is
defensive: a fact that is missing or not a literal makes the callers stay quiet.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from typing import Any, Iterator, Optional

import libcst as cst

from celery_fix.constructs.names import NameTable
from celery_fix.constructs.tasks import TaskDecorator, task_decorator
from celery_fix.index.values import UNKNOWN, Call, is_unknown

# result_backend values that store nothing
NO_BACKEND_VALUES = (None, "", "disabled", "disabled://")


@dataclass
class TaskDef:
    """A task defined in the module being checked."""

    tail: str  # qualname inside the module: "send_receipt", "Jobs.run_report"
    node: cst.FunctionDef
    decorator: cst.Decorator
    task: TaskDecorator


def module_task_defs(module: cst.Module, names: NameTable) -> Iterator[TaskDef]:
    """Function tasks defined at import time (module level, `if`/`try` blocks, class bodies)."""
    yield from _defs(module.body, names, ())


def _defs(body, names: NameTable, scope: tuple[str, ...]) -> Iterator[TaskDef]:
    for statement in body:
        if isinstance(statement, cst.FunctionDef):
            for decorator in statement.decorators:
                task = task_decorator(names, decorator)
                if task is not None:
                    yield TaskDef(".".join((*scope, statement.name.value)), statement, decorator, task)
                    break
        elif isinstance(statement, cst.ClassDef) and isinstance(statement.body, cst.IndentedBlock):
            yield from _defs(statement.body.body, names, (*scope, statement.name.value))
        elif isinstance(statement, (cst.If, cst.Try, cst.With)):
            yield from _defs(statement.body.body, names, scope)
            for handler in getattr(statement, "handlers", ()):
                yield from _defs(handler.body.body, names, scope)
            for tail in (getattr(statement, "orelse", None), getattr(statement, "finalbody", None)):
                if isinstance(tail, cst.If):
                    yield from _defs([tail], names, scope)
                elif tail is not None:
                    yield from _defs(tail.body.body, names, scope)


_REALPATHS: dict[str, str] = {}


def _real(path: str) -> str:
    found = _REALPATHS.get(path)
    if found is None:
        found = _REALPATHS[path] = os.path.realpath(path)
    return found


def same_file(a: str, b: str) -> bool:
    return a == b or _real(a) == _real(b)


def index_of(rule: Any) -> Any:
    context = getattr(rule, "context", None)
    return getattr(context, "index", None) if context is not None else None


def find_task(index: Any, path: str, tail: str, kind: str = "function") -> Any:
    """The index's TaskInfo for the task `tail` defined in `path`; None when absent, ambiguous, or
    in a file Python cannot import by that name (`.semgrep/rule-fixture.py`: no task module)."""
    # by the last part of the name: a module with thousands of tasks asks once per task
    candidates = _tasks_in_file(index, path).get(tail.rpartition(".")[2], ())
    found = [t for t in candidates if t.kind == kind and (t.qualname == tail or t.qualname.endswith("." + tail))]
    if len(found) != 1 or not importable(found[0].module):
        return None
    return found[0]


def _tasks_in_file(index: Any, path: str) -> dict[str, list]:
    """The index's tasks defined in the file at `path` (by real path, as `same_file`), by the last
    part of their qualname; the table is built once per index (a rule asks once per task definition)."""
    tasks = getattr(index, "tasks", ()) or ()
    cached = _BY_FILE.get(id(index))
    if cached is None or cached[0] is not index or cached[1] is not tasks:
        table: dict[str, dict[str, list]] = {}
        for task in tasks:
            table.setdefault(_real(task.path), {}).setdefault(task.qualname.rpartition(".")[2], []).append(task)
        cached = (index, tasks, table)
        _BY_FILE.clear()
        _BY_FILE[id(index)] = cached
    return cached[2].get(_real(path), {})


_BY_FILE: dict[int, tuple] = {}


def importable(module: str) -> bool:
    return bool(module) and all(part.isidentifier() for part in module.split("."))


def setting(index: Any, key: str) -> Any:
    """The SettingValue Celery uses for `key` (None when the project never sets it)."""
    settings = getattr(index, "settings", None) or {}
    return settings.get(key)


def setting_value(index: Any, key: str, default: Any = None) -> Any:
    found = setting(index, key)
    if found is None:
        return default
    return UNKNOWN if not found.known else found.value


def backend_state(index: Any, override: str = "auto") -> str:
    """"configured", "none" or "unknown": whether the project stores task results.

    "none" only when the backend is written down as off, or when the project's Celery
    configuration is visible (an app and the settings it reads) and sets no backend. The
    `CELERY_RESULT_BACKEND` environment variable (which Celery also reads) cannot be seen:
    option `result-backend` overrides the guess."""
    if override in ("configured", "none"):
        return override
    found = setting(index, "result_backend")
    if found is not None:
        if not found.known:
            return "unknown"
        return "none" if found.value in NO_BACKEND_VALUES else "configured"
    apps = getattr(index, "app_infos", None) or {}
    all_settings = getattr(index, "all_settings", None) or {}
    if apps and any(key != "DATABASES" for key in all_settings):
        return "none"
    return "unknown"


# -- task_routes ------------------------------------------------------------------------------------
def route_items(value: Any, keep_unreadable: bool = False) -> list[tuple[Any, Any]] | None:
    """(key, route) pairs of a `task_routes` value; None when a part cannot be read (a router
    function, a dotted path to one, a `re.compile()` key, an expression) — or, with
    `keep_unreadable`, that part as an `(UNKNOWN, UNKNOWN)` pair among the readable ones."""
    unreadable = [(UNKNOWN, UNKNOWN)]
    if isinstance(value, dict):
        return list(value.items())
    if isinstance(value, (list, tuple)):
        items: list[tuple[Any, Any]] = []
        for element in value:
            if isinstance(element, dict):
                items.extend(element.items())
            elif isinstance(element, (list, tuple)) and len(element) == 2:
                items.append((element[0], element[1]))
            elif keep_unreadable:
                items.extend(unreadable)
            else:
                return None
        return items
    return unreadable if keep_unreadable else None


def route_matches(key: str, name: str) -> bool:
    # celery/app/routes.py: glob keys go through fnmatch.translate and re.match
    return key == name or (any(c in key for c in "*?[") and fnmatch.fnmatchcase(name, key))


def route_queue(route: Any) -> Optional[str]:
    """The queue a route sends to: `"q"`, `{"queue": "q"}`; None when unknown or not a queue."""
    if isinstance(route, str):
        return route
    if isinstance(route, dict):
        queue = route.get("queue")
        if isinstance(queue, str):
            return queue
        if isinstance(queue, Call) and queue.func == "Queue":
            return queue_name(queue)
    return None


def queue_name(value: Any) -> Optional[str]:
    """The name of a `Queue("name", ...)` value (or a plain string)."""
    if isinstance(value, str) and not is_unknown(value):
        return value
    if isinstance(value, Call) and value.func == "Queue":
        name = value.args[0] if value.args else value.kwarg("name")
        return name if isinstance(name, str) and not is_unknown(name) else None
    return None


def project_roots(index: Any) -> set[str]:
    """First components of the modules the project's tasks and apps live in (`orders`, `saleor`)."""
    roots = {t.module.split(".")[0] for t in getattr(index, "tasks", ()) or () if t.module}
    roots |= {q.split(".")[0] for q in getattr(index, "apps", ()) or ()}
    return {r for r in roots if r}


# -- where a module writes its settings (for rules that report on the setting's line) ----------
def _setting_names(key: str) -> set[str]:
    names = {key, f"CELERY_{key.upper()}"}
    if key == "task_routes":
        names.add("CELERY_ROUTES")
    if key == "task_queues":
        names.add("CELERY_QUEUES")
    if key == "result_expires":
        names.add("CELERY_TASK_RESULT_EXPIRES")
    names |= _OLD_NAMES.get(key, set())
    return names


# Celery 3.x names still read without a namespace (celery/app/defaults.py)
_OLD_NAMES = {
    "task_always_eager": {"CELERY_ALWAYS_EAGER"}, "broker_url": {"BROKER_URL"},
    "broker_transport_options": {"BROKER_TRANSPORT_OPTIONS"}, "event_serializer": {"CELERY_EVENT_SERIALIZER"},
    "task_time_limit": {"CELERYD_TASK_TIME_LIMIT"}, "task_soft_time_limit": {"CELERYD_TASK_SOFT_TIME_LIMIT"},
}


def setting_nodes(module: cst.Module, names: NameTable, key: str) -> list[tuple[cst.CSTNode, cst.BaseExpression]]:
    """(node to report on, value expression) for every place this module sets Celery setting `key`:
    `CELERY_KEY = ...` / `key = ...` at module level, `app.conf.key = ...`, `app.conf.update(key=...)`,
    `Celery(..., key=...)`."""
    wanted = _setting_names(key)
    found: list[tuple[cst.CSTNode, cst.BaseExpression]] = []
    for statement in _module_statements(module.body):
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, (cst.Assign, cst.AnnAssign)) and small.value is not None:
                    targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
                    for target in targets:
                        if isinstance(target, cst.Name) and target.value in wanted:
                            found.append((statement, small.value))
                        elif (isinstance(target, cst.Attribute) and target.attr.value == key
                              and isinstance(target.value, cst.Attribute) and target.value.attr.value == "conf"):
                            found.append((statement, small.value))
                elif isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
                    found.extend(_update_call(small.value, key))
    return found


def _update_call(call: cst.Call, key: str) -> list[tuple[cst.CSTNode, cst.BaseExpression]]:
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value == "update" and isinstance(func.value, cst.Attribute) \
            and func.value.attr.value == "conf":
        return [(arg, arg.value) for arg in call.args if arg.keyword is not None and arg.keyword.value == key]
    return []


def _module_statements(body) -> Iterator[cst.CSTNode]:
    for statement in body:
        if isinstance(statement, (cst.If, cst.Try, cst.With)):
            yield from _module_statements(statement.body.body)
            for handler in getattr(statement, "handlers", ()):
                yield from _module_statements(handler.body.body)
            orelse = getattr(statement, "orelse", None)
            if isinstance(orelse, cst.If):
                yield from _module_statements([orelse])
            elif orelse is not None:
                yield from _module_statements(orelse.body.body)
        else:
            yield statement


def dict_literals(expr: cst.BaseExpression) -> list[cst.Dict]:
    """The dict literals of a `task_routes` value: `{...}`, or a list/tuple of them."""
    if isinstance(expr, cst.Dict):
        return [expr]
    if isinstance(expr, (cst.List, cst.Tuple)):
        return [e.value for e in expr.elements if isinstance(e.value, cst.Dict)]
    return []
