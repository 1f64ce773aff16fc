"""Literal evaluation (`index/values.py`) over the stdlib `ast` instead of libcst, for the index
collector (`index/ast_collect.py`); the name table is the one in `celery_fix.constructs.bindings`.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from typing import Any

# the collector's names for the one name table (constructs/bindings.py), kept importable from here
from celery_fix.constructs.bindings import NameTable as AstNameTable  # noqa: F401
from celery_fix.constructs.bindings import (  # noqa: F401
    absolute_module,
    build_name_table,
    dotted_name,
    top_level_statements,
)
from celery_fix.index.values import _BUILTINS, KNOWN_CALLS, UNKNOWN, Call, Ref, _number

_Name, _Attribute, _Call = ast.Name, ast.Attribute, ast.Call


# -- literal values (evaluate.evaluate) --------------------------------------------------------------

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
