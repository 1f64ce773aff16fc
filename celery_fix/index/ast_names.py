"""The module name table (`celery_fix.constructs.names`) and literal evaluation (`index/values.py`) over the
stdlib `ast` instead of libcst: the same rules, node for node, for the fast index collector
(`index/ast_collect.py`).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from typing import Any

from celery_fix.constructs.bindings import (
    CELERY_APP_FACTORIES,
    CURRENT_APP,
    SHARED_TASK,
    Binding,
    _looks_like_app_import,
)
from celery_fix.index.values import _BUILTINS, KNOWN_CALLS, UNKNOWN, Call, Ref, _number

_Name, _Attribute, _Call = ast.Name, ast.Attribute, ast.Call


def dotted_name(expr: ast.AST) -> str | None:
    if type(expr) is _Name:
        return expr.id
    if type(expr) is _Attribute:
        base = dotted_name(expr.value)
        return f"{base}.{expr.attr}" if base else None
    return None


class AstNameTable:
    """`celery_fix.constructs.names.NameTable` for an `ast` tree (Binding.node holds ast nodes)."""

    __slots__ = ("bindings", "is_package", "module_name", "project_apps")

    def __init__(self, module_name: str = "", is_package: bool = False) -> None:
        self.module_name = module_name
        self.bindings: dict[str, Binding] = {}
        self.project_apps: frozenset[str] = frozenset()
        self.is_package = is_package

    def resolve(self, expr: ast.AST) -> str | None:
        kind = type(expr)
        if kind is _Name:
            binding = self.bindings.get(expr.id)
            return binding.qualname if binding else None
        if kind is _Attribute:
            base = self.resolve(expr.value)
            return f"{base}.{expr.attr}" if base else None
        return None

    def binding_of(self, expr: ast.AST) -> Binding | None:
        return self.bindings.get(expr.id) if type(expr) is _Name else None

    def is_celery_app(self, expr: ast.AST) -> bool:
        binding = self.binding_of(expr)
        if binding is not None and binding.kind == "app":
            return True
        qualname = self.resolve(expr)
        if qualname is None:
            return False
        if qualname in CURRENT_APP or qualname in self.project_apps:
            return True
        if binding is not None and binding.kind == "import" and not self.project_apps:
            return _looks_like_app_import(qualname)
        return False


_COMPOUND_TOP = (ast.If, ast.Try, ast.TryStar, ast.With, ast.AsyncWith) if hasattr(ast, "TryStar") else (
    ast.If, ast.Try, ast.With, ast.AsyncWith)


def top_level_statements(body) -> Iterator[ast.stmt]:
    """`names._top_level_statements`: looks into `if`/`try`/`with` blocks that run at import time."""
    for statement in body:
        if isinstance(statement, _COMPOUND_TOP):
            yield from top_level_statements(statement.body)
            for handler in getattr(statement, "handlers", ()):
                yield from top_level_statements(handler.body)
            yield from top_level_statements(getattr(statement, "orelse", ()))
            yield from top_level_statements(getattr(statement, "finalbody", ()))
        else:
            yield statement


def absolute_module(table: AstNameTable, node: ast.ImportFrom) -> str | None:
    module = node.module or ""
    level = node.level or 0
    if not level:
        return module
    if not table.module_name:
        package_parts: list[str] = []
    elif table.is_package:
        package_parts = table.module_name.split(".")
    else:
        package_parts = table.module_name.split(".")[:-1]
    if level - 1 > len(package_parts) or not table.module_name:
        return "." * level + module
    base = package_parts[: len(package_parts) - (level - 1)]
    return ".".join(part for part in [*base, module] if part)


def build_name_table(module: ast.Module, module_name: str = "", is_package: bool = False) -> AstNameTable:
    table = AstNameTable(module_name, is_package)
    for statement in top_level_statements(module.body):
        _bind_statement(table, statement)
    return table


def _bind_statement(table: AstNameTable, statement: ast.AST) -> None:
    kind = type(statement)
    if kind is ast.Import:
        for alias in statement.names:
            full = alias.name
            if alias.asname is not None:
                table.bindings[alias.asname] = Binding(full, "import", statement)
            else:
                top = full.split(".")[0]
                table.bindings[top] = Binding(top, "import", statement)
    elif kind is ast.ImportFrom:
        if any(alias.name == "*" for alias in statement.names):
            return
        module = absolute_module(table, statement)
        if module is None:
            return
        for alias in statement.names:
            name = alias.name
            local = alias.asname or name
            table.bindings[local] = Binding(f"{module}.{name}" if module else name, "import", statement)
    elif kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
        table.bindings[statement.name] = Binding(_local_qualname(table, statement.name), "def", statement)
    elif kind is ast.Assign or kind is ast.AnnAssign:
        targets = statement.targets if kind is ast.Assign else [statement.target]
        value = statement.value
        for target in targets:
            if type(target) is _Name:
                table.bindings[target.id] = _binding_for_value(table, target.id, value, statement)


def _local_qualname(table: AstNameTable, name: str) -> str:
    return f"{table.module_name}.{name}" if table.module_name else name


def _binding_for_value(table: AstNameTable, name: str, value, statement) -> Binding:
    if type(value) is _Call:
        callee = table.resolve(value.func)
        if callee in CELERY_APP_FACTORIES:
            return Binding(_local_qualname(table, name), "app", statement)
        if is_task_factory(table, value.func):
            return Binding(_local_qualname(table, name), "task_preset", value)
    elif type(value) in (_Name, _Attribute):
        source = table.binding_of(value)
        if source is not None and source.kind in ("app", "task_preset", "task_decorator"):
            return source
        if is_task_factory(table, value):
            return Binding(_local_qualname(table, name), "task_decorator", statement)
        qualname = table.resolve(value)
        if qualname is not None:
            return Binding(qualname, "import", statement)
    return Binding(_local_qualname(table, name), "value", statement)


def is_task_factory(table: AstNameTable, func: ast.AST) -> bool:
    if table.resolve(func) in SHARED_TASK:
        return True
    if type(func) is _Attribute and func.attr == "task":
        return table.is_celery_app(func.value)
    binding = table.binding_of(func)
    return binding is not None and binding.kind == "task_decorator"


# -- literal values (evaluate.evaluate) --------------------------------------------------------------
import operator

_BINARY = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv, ast.Pow: operator.pow, ast.Mod: operator.mod,
}
Resolver = Callable[[ast.AST], "str | None"]
Constant = Callable[[str], Any]


class Arg:
    """A call argument in source order, shaped like libcst's `Arg`: `keyword` is None for
    positional, `*x` and `**x` arguments; `star` is "", "*" or "**"; `value` is without the star."""

    __slots__ = ("keyword", "node", "star", "value")

    def __init__(self, keyword, star, value, node) -> None:
        self.keyword = keyword
        self.star = star
        self.value = value
        self.node = node  # the ast node the argument starts with (for positions)


def call_args(call: ast.Call) -> list[Arg]:
    found = getattr(call, "_cf_args", None)
    if found is not None:
        return found
    result = []
    for arg in call.args:
        if type(arg) is ast.Starred:
            result.append(Arg(None, "*", arg.value, arg))
        else:
            result.append(Arg(None, "", arg, arg))
    for keyword in call.keywords:
        if keyword.arg is None:
            result.append(Arg(None, "**", keyword.value, keyword))
        else:
            result.append(Arg(keyword.arg, "", keyword.value, keyword))
    if call.args and call.keywords and call.keywords[0].lineno is not None:
        # `f(k=1, *rest)`: a starred argument may follow keywords; keep source order
        result.sort(key=lambda a: (a.node.lineno, a.node.col_offset))
    call._cf_args = result
    return result


def evaluate(expr: ast.AST, resolve: Resolver, constant: Constant | None = None, depth: int = 0) -> Any:
    if depth > 20:
        return UNKNOWN
    kind = type(expr)
    if kind is ast.Constant:
        value = expr.value
        if value is None or value is True or value is False:
            return value
        if isinstance(value, (int, float, str, bytes)) and not isinstance(value, bool):
            return value
        return UNKNOWN  # complex, Ellipsis
    if kind is _Name:
        if constant is not None:
            value = constant(expr.id)
            if value is not UNKNOWN:
                return value
        name = resolve(expr)
        if name is None and expr.id in _BUILTINS:
            name = expr.id
        return Ref(name) if name else UNKNOWN
    if kind is _Attribute:
        name = resolve(expr)
        return Ref(name) if name else UNKNOWN
    if kind in (ast.Tuple, ast.List, ast.Set):
        items = []
        for element in expr.elts:
            if type(element) is ast.Starred:
                value = evaluate(element.value, resolve, constant, depth + 1)
                if not isinstance(value, (tuple, list)):
                    return UNKNOWN
                items.extend(value)
                continue
            items.append(evaluate(element, resolve, constant, depth + 1))
        return items if kind is ast.List else tuple(items)
    if kind is ast.Dict:
        return dict_value(expr, resolve, constant, depth)
    if kind is ast.UnaryOp and type(expr.op) is ast.USub:
        value = evaluate(expr.operand, resolve, constant, depth + 1)
        return -value if isinstance(value, (int, float)) and not isinstance(value, bool) else UNKNOWN
    if kind is ast.BinOp and type(expr.op) in _BINARY:
        left = evaluate(expr.left, resolve, constant, depth + 1)
        right = evaluate(expr.right, resolve, constant, depth + 1)
        if _number(left) and _number(right):
            try:
                return _BINARY[type(expr.op)](left, right)
            except (ArithmeticError, ValueError):
                return UNKNOWN
        if type(expr.op) is ast.Add and isinstance(left, str) and isinstance(right, str):
            return left + right
        return UNKNOWN
    if kind is _Call:
        func = resolve(expr.func)
        if func in KNOWN_CALLS or (func and func.rsplit(".", 1)[-1] in ("crontab", "solar", "timedelta")):
            return call_value(expr, func, resolve, constant, depth)
        if func == "dict" or (type(expr.func) is _Name and expr.func.id == "dict" and func is None):
            return dict_call_value(expr, resolve, constant, depth)
    return UNKNOWN


def dict_value(expr: ast.Dict, resolve: Resolver, constant: Constant | None = None, depth: int = 0) -> Any:
    result: dict = {}
    for key_node, value_node in zip(expr.keys, expr.values):
        if key_node is None:
            spread = evaluate(value_node, resolve, constant, depth + 1)
            if not isinstance(spread, dict):
                return UNKNOWN
            result.update(spread)
            continue
        key = evaluate(key_node, resolve, constant, depth + 1)
        if key is UNKNOWN or isinstance(key, (dict, list)):
            return UNKNOWN
        result[key] = evaluate(value_node, resolve, constant, depth + 1)
    return result


def dict_call_value(expr: ast.Call, resolve: Resolver, constant: Constant | None = None, depth: int = 0) -> Any:
    result: dict = {}
    for arg in call_args(expr):
        if arg.star == "**":
            spread = evaluate(arg.value, resolve, constant, depth + 1)
            if not isinstance(spread, dict):
                return UNKNOWN
            result.update(spread)
        elif arg.keyword is not None:
            result[arg.keyword] = evaluate(arg.value, resolve, constant, depth + 1)
        else:
            positional = evaluate(arg.value, resolve, constant, depth + 1)
            if not isinstance(positional, dict):
                return UNKNOWN
            result.update(positional)
    return result


def call_value(expr: ast.Call, func: str, resolve: Resolver, constant: Constant | None = None, depth: int = 0) -> Any:
    args, kwargs = [], []
    for arg in call_args(expr):
        if arg.star:
            return UNKNOWN
        value = evaluate(arg.value, resolve, constant, depth + 1)
        if arg.keyword is None:
            args.append(value)
        else:
            kwargs.append((arg.keyword, value))
    canonical = KNOWN_CALLS.get(func, func.rsplit(".", 1)[-1])
    return Call(canonical, tuple(args), tuple(kwargs))
