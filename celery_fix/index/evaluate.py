"""Reading literal values out of libcst expressions (see `celery_fix.index.values` for what
they become)."""

from __future__ import annotations

import operator
from typing import Any, Callable

import libcst as cst

from celery_fix.index.values import _BUILTINS, KNOWN_CALLS, UNKNOWN, Call, Ref, _number

_BINARY = {
    cst.Add: operator.add, cst.Subtract: operator.sub, cst.Multiply: operator.mul,
    cst.Divide: operator.truediv, cst.FloorDivide: operator.floordiv, cst.Power: operator.pow,
    cst.Modulo: operator.mod,
}

# resolves a dotted name to its qualified name (None when it is not a plain name)
Resolver = Callable[[cst.BaseExpression], "str | None"]
# the literal value of a module-level name (local constant), or UNKNOWN
Constant = Callable[[str], Any]


def evaluate(expr: cst.BaseExpression, resolve: Resolver, constant: Constant | None = None, depth: int = 0) -> Any:
    """The Python value of `expr` when it is a literal (see the module docstring), else UNKNOWN."""
    if depth > 20:
        return UNKNOWN
    again = lambda e: evaluate(e, resolve, constant, depth + 1)  # noqa: E731
    if isinstance(expr, (cst.Integer, cst.Float)):
        return expr.evaluated_value
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
        try:
            value = expr.evaluated_value
        except (SyntaxError, ValueError):  # "\N{NO SUCH NAME}": libcst parses it, Python would not
            return UNKNOWN
        return value if isinstance(value, (str, bytes)) else UNKNOWN
    if isinstance(expr, cst.Name):
        if expr.value in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[expr.value]
        if constant is not None:
            value = constant(expr.value)
            if value is not UNKNOWN:
                return value
    if isinstance(expr, (cst.Name, cst.Attribute)):
        name = resolve(expr)
        if name is None and isinstance(expr, cst.Name) and expr.value in _BUILTINS:
            name = expr.value  # `Exception`, `ValueError`: a builtin unless bound locally (resolve said no)
        return Ref(name) if name else UNKNOWN
    if isinstance(expr, (cst.Tuple, cst.List, cst.Set)):
        items = []
        for element in expr.elements:
            if isinstance(element, cst.StarredElement):
                value = again(element.value)
                if not isinstance(value, (tuple, list)):
                    return UNKNOWN
                items.extend(value)
                continue
            items.append(again(element.value))
        if isinstance(expr, cst.Tuple):
            return tuple(items)
        return items if isinstance(expr, cst.List) else tuple(items)
    if isinstance(expr, cst.Dict):
        return dict_value(expr, resolve, constant, depth)
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        value = again(expr.expression)
        return -value if isinstance(value, (int, float)) and not isinstance(value, bool) else UNKNOWN
    if isinstance(expr, cst.BinaryOperation) and type(expr.operator) in _BINARY:
        left, right = again(expr.left), again(expr.right)
        if _number(left) and _number(right):
            try:
                return _BINARY[type(expr.operator)](left, right)
            except (ArithmeticError, ValueError):
                return UNKNOWN
        if isinstance(expr.operator, cst.Add) and isinstance(left, str) and isinstance(right, str):
            return left + right
        return UNKNOWN
    if isinstance(expr, cst.Call):
        func = resolve(expr.func)
        if func in KNOWN_CALLS or (func and func.rsplit(".", 1)[-1] in ("crontab", "solar", "timedelta")):
            return call_value(expr, func, resolve, constant, depth)
        if func == "dict" or (isinstance(expr.func, cst.Name) and expr.func.value == "dict" and func is None):
            return dict_call_value(expr, resolve, constant, depth)
    return UNKNOWN


def dict_value(expr: cst.Dict, resolve: Resolver, constant: Constant | None = None, depth: int = 0) -> Any:
    result: dict = {}
    for element in expr.elements:
        if isinstance(element, cst.StarredDictElement):
            spread = evaluate(element.value, resolve, constant, depth + 1)
            if not isinstance(spread, dict):
                return UNKNOWN
            result.update(spread)
            continue
        key = evaluate(element.key, resolve, constant, depth + 1)
        if key is UNKNOWN or isinstance(key, (dict, list)):
            return UNKNOWN
        result[key] = evaluate(element.value, resolve, constant, depth + 1)
    return result


def dict_call_value(expr: cst.Call, resolve: Resolver, constant: Constant | None = None, depth: int = 0) -> Any:
    """`dict(a=1, **other)`."""
    result: dict = {}
    for arg in expr.args:
        if arg.star == "**":
            spread = evaluate(arg.value, resolve, constant, depth + 1)
            if not isinstance(spread, dict):
                return UNKNOWN
            result.update(spread)
        elif arg.keyword is not None:
            result[arg.keyword.value] = evaluate(arg.value, resolve, constant, depth + 1)
        else:
            positional = evaluate(arg.value, resolve, constant, depth + 1)
            if not isinstance(positional, dict):
                return UNKNOWN
            result.update(positional)
    return result


def call_value(expr: cst.Call, func: str, resolve: Resolver, constant: Constant | None = None, depth: int = 0) -> Any:
    args, kwargs = [], []
    for arg in expr.args:
        if arg.star:
            return UNKNOWN
        value = evaluate(arg.value, resolve, constant, depth + 1)
        if arg.keyword is None:
            args.append(value)
        else:
            kwargs.append((arg.keyword.value, value))
    canonical = KNOWN_CALLS.get(func, func.rsplit(".", 1)[-1])
    return Call(canonical, tuple(args), tuple(kwargs))


