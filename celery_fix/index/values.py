"""Reading literal values out of libcst expressions, as plain Python data.

A literal (numbers, strings, True/False/None, tuples/lists/sets/dicts of literals, simple
arithmetic such as `6 * 60 * 60`) becomes its Python value; a dotted name that is not a known
constant becomes a `Ref` (`requests.RequestException`, `settings.QUEUE`); `timedelta(...)`,
`crontab(...)`, `solar(...)` and `Queue(...)` become a `Call`; anything else is `UNKNOWN`.
"""

from __future__ import annotations

import builtins
import operator
from dataclasses import dataclass
from typing import Any, Callable

import libcst as cst

UNKNOWN = "<unknown>"  # the value of an option or setting that is set, but not to a literal


@dataclass(frozen=True)
class Ref:
    """A reference to a named object (an exception class, a setting, a constant not known)."""

    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Call:
    """A call of a known constructor with literal arguments: `timedelta(minutes=5)`, `crontab(...)`."""

    func: str  # resolved dotted name, e.g. "datetime.timedelta", "celery.schedules.crontab"
    args: tuple = ()
    kwargs: tuple[tuple[str, Any], ...] = ()

    def kwarg(self, name: str, default: Any = None) -> Any:
        return dict(self.kwargs).get(name, default)

    def __str__(self) -> str:
        parts = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs]
        return f"{self.func.rsplit('.', 1)[-1]}({', '.join(parts)})"


# dotted names whose calls are kept as `Call` values (schedules, queues, durations)
KNOWN_CALLS = {
    "datetime.timedelta": "timedelta",
    "celery.schedules.crontab": "crontab",
    "celery.schedules.solar": "solar",
    "celery.schedules.schedule": "schedule",
    "celery.crontab": "crontab",
    "kombu.Queue": "Queue",
    "kombu.Exchange": "Exchange",
    "kombu.entity.Queue": "Queue",
    "kombu.entity.Exchange": "Exchange",
}

_BUILTINS = frozenset(name for name in dir(builtins) if not name.startswith("_"))

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
        value = expr.evaluated_value
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


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


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


def is_unknown(value: Any) -> bool:
    return value is UNKNOWN or (isinstance(value, str) and value == UNKNOWN)


# -- schedules -------------------------------------------------------------------------------------
_TIMEDELTA_SECONDS = {
    "weeks": 7 * 86400, "days": 86400, "hours": 3600, "minutes": 60, "seconds": 1,
    "milliseconds": 0.001, "microseconds": 0.000001,
}
_TIMEDELTA_POSITIONAL = ("days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks")


def timedelta_seconds(value: Call) -> float | None:
    total = 0.0
    pairs = list(zip(_TIMEDELTA_POSITIONAL, value.args)) + list(value.kwargs)
    for key, amount in pairs:
        if key not in _TIMEDELTA_SECONDS or not _number(amount):
            return None
        total += amount * _TIMEDELTA_SECONDS[key]
    return total


_CRONTAB_FIELDS = ("minute", "hour", "day_of_week", "day_of_month", "month_of_year")


def schedule_info(value: Any) -> tuple[str, float | None]:
    """(kind, period in seconds) of a beat schedule value: kind is timedelta / number / crontab /
    solar / schedule / unknown; the period is None when it is not computable."""
    if _number(value):
        return "number", float(value)
    if not isinstance(value, Call):
        return "unknown", None
    if value.func == "timedelta":
        return "timedelta", timedelta_seconds(value)
    if value.func == "schedule":
        run_every = value.args[0] if value.args else value.kwarg("run_every")
        if _number(run_every):
            return "schedule", float(run_every)
        if isinstance(run_every, Call) and run_every.func == "timedelta":
            return "schedule", timedelta_seconds(run_every)
        return "schedule", None
    if value.func == "crontab":
        return "crontab", crontab_period(value)
    if value.func == "solar":
        return "solar", 86400.0
    return "unknown", None


def crontab_period(value: Call) -> float | None:
    """The period of a crontab when it is regular: every N minutes/hours, daily, weekly."""
    fields = dict(zip(_CRONTAB_FIELDS, value.args))
    fields.update(value.kwargs)
    if any(not isinstance(v, (str, int)) or isinstance(v, bool) for v in fields.values()):
        return None
    fields = {k: str(v).strip() for k, v in fields.items()}
    minute, hour = fields.get("minute", "*"), fields.get("hour", "*")
    dow, dom, moy = fields.get("day_of_week", "*"), fields.get("day_of_month", "*"), fields.get("month_of_year", "*")
    if dom != "*" or moy != "*":
        return None
    if dow != "*":
        return 7 * 86400.0 if _single(dow) and _single(minute) and _single(hour) else None
    if hour == "*":
        if minute == "*":
            return 60.0
        if minute.startswith("*/") and minute[2:].isdigit():
            return int(minute[2:]) * 60.0
        return 3600.0 if _single(minute) else None
    if not _single(minute):
        return None  # `crontab(hour=3)`: every minute of that hour, not a regular period
    if _single(hour):
        return 86400.0
    if hour.startswith("*/") and hour[2:].isdigit():
        return int(hour[2:]) * 3600.0
    return None


def _single(field_value: str) -> bool:
    return field_value.isdigit()


def plain(value: Any) -> Any:
    """`value` as JSON-ready data: Refs and Calls become their source-like strings."""
    if isinstance(value, (Ref, Call)):
        return str(value)
    if isinstance(value, dict):
        return {str(plain(k)): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value
