"""Walk a module's functions and report each dispatched argument with what it is (CEL601/CEL602)."""

from __future__ import annotations

from typing import Any, Callable, Iterator, Optional

import libcst as cst

from celery_fix.constructs.arguments import Argument, Kind, Origins, dispatch_calls, sent_arguments
from celery_fix.constructs.dispatch import as_dispatch
from celery_fix.constructs.names import NameTable
from celery_fix.constructs.results import module_task_defs
from celery_fix.syntax.walk import walk

_FOREIGN_ROOTS = frozenset({"re", "requests", "httpx", "django", "os", "time"})


def sent_kinds(module: cst.Module, names: NameTable) -> Iterator[tuple[cst.Call, Argument, Kind]]:
    """(dispatch call, argument, what it is) for every classified argument of every dispatch."""
    functions: list[tuple[cst.FunctionDef, bool]] = []

    def enter(node: cst.CSTNode) -> bool:
        if isinstance(node, cst.ClassDef) and isinstance(node.body, cst.IndentedBlock):
            for statement in node.body.body:
                if isinstance(statement, cst.FunctionDef):
                    functions.append((statement, True))
                    walk(statement.body, enter)
            return False
        if isinstance(node, cst.FunctionDef):
            functions.append((node, False))
            walk(node.body, enter)
            return False
        return True

    walk(module, enter)
    for function, method in functions:
        origins = Origins(names, names.resolve, module)
        origins.read_function(function, method)
        for call in dispatch_calls(function):
            if not _is_task_call(names, call):
                continue
            for argument in sent_arguments(call) or ():
                kind = origins.kind(argument.value)
                if kind is not None:
                    yield call, argument, kind


def _is_task_call(names: NameTable, call: cst.Call) -> bool:
    func = call.func
    assert isinstance(func, cst.Attribute)
    if func.attr.value in ("delay", "apply_async", "send_task"):
        return as_dispatch(names, call) is not None
    receiver = func.value
    if not isinstance(receiver, (cst.Name, cst.Attribute)):
        return False
    qualname = names.resolve(receiver)
    return qualname is None or qualname.split(".")[0] not in _FOREIGN_ROOTS


def task_parameters(call: cst.Call, names: NameTable, module: cst.Module, index: Any) -> Optional[tuple[str, ...]]:
    """The dispatched task's parameters (without the bound `self`), from the index or from a task
    defined in this module; None when the task is not known."""
    func = call.func
    if not isinstance(func, cst.Attribute) or func.attr.value == "send_task":
        return None
    receiver = func.value
    qualname = names.resolve(receiver)
    if qualname is not None and index is not None:
        info = index.task_by_qualname(qualname)
        if info is not None:
            params = tuple(info.params)
            return params[1:] if (info.bind or info.kind == "class") and params else params
    if isinstance(receiver, cst.Name):
        for definition in module_task_defs(module, names):
            if definition.tail == receiver.value:
                params = tuple(p.name.value for p in (*definition.node.params.posonly_params,
                                                      *definition.node.params.params))
                bind = definition.task.options.get("bind")
                bound = isinstance(bind, cst.Name) and bind.value == "True"
                return params[1:] if bound and params else params
    return None


Resolve = Callable[[cst.BaseExpression], Optional[str]]
