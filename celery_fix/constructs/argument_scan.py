"""Each dispatched argument of a module with what it is (CEL601/CEL602)."""

from __future__ import annotations

from typing import Any, Callable, Optional

import libcst as cst

from celery_fix.constructs.arguments import Argument, Kind, Origins, sent_arguments
from celery_fix.constructs.dispatch import as_dispatch
from celery_fix.constructs.names import NameTable
from celery_fix.constructs.results import module_task_defs
from celery_fix.syntax.file_memo import file_memo, remembered

_FOREIGN_ROOTS = frozenset({"re", "requests", "httpx", "django", "os", "time"})


class ArgumentScan:
    """Mixed into a rule (before `rule.CeleryRule`): collects the dispatch calls of each function
    during the engine's one walk, then, at the end of the module, classifies their arguments
    (`check_argument(call, argument, kind)`) with the origins of that function's names, built
    only for functions that dispatch."""

    names: NameTable

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)  # type: ignore[misc]
        self._module = node
        self._stack: list[tuple[cst.CSTNode, bool]] = []  # (def or class, is a method)
        self._found: dict[int, tuple[cst.FunctionDef, bool, list[cst.Call]]] = {}

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._stack.append((node, False))

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._stack.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        method = bool(self._stack) and isinstance(self._stack[-1][0], cst.ClassDef)
        self._stack.append((node, method))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._stack.pop()

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value in SENDING_METHODS):
            return
        for scope, method in reversed(self._stack):
            if isinstance(scope, cst.FunctionDef):
                self._found.setdefault(id(scope), (scope, method, []))[2].append(node)
                return
            break  # a class body at import time: no function origins

    def leave_Module(self, original_node: cst.Module) -> None:
        for function, method, calls in self._found.values():
            origins: Optional[Origins] = None
            for call in calls:
                if not _is_task_call(self.names, call):
                    continue
                for argument in sent_arguments(call) or ():
                    if origins is None:
                        origins = _origins(self.names, self._module, function, method)
                    kind = origins.kind(argument.value)
                    if kind is not None:
                        self.check_argument(call, argument, kind)

    def check_argument(self, call: cst.Call, argument: Argument, kind: Kind) -> None:
        raise NotImplementedError


def _origins(names: NameTable, module: cst.Module, function: cst.FunctionDef, method: bool) -> Origins:
    """What each name of `function` holds, read once for the file's rules that ask (CEL601, CEL602)."""
    def read() -> Origins:
        origins = Origins(names, names.resolve, module)
        origins.read_function(function, method)
        return origins

    return remembered(_ORIGINS, names, function, method, read)


_ORIGINS = file_memo()


SENDING_METHODS = frozenset({"delay", "apply_async", "s", "si", "signature", "send_task"})


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
