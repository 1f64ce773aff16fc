"""Recognise Celery task decorators and read their options, through the module's NameTable."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import libcst as cst

from celery_fix.constructs.names import NameTable, is_task_factory
from celery_fix.syntax.file_memo import file_memo, remembered


@dataclass
class TaskDecorator:
    decorator: cst.Decorator | None  # None for the functional form `app.task(**opts)(func)`
    # the decorator's own call (`@shared_task(...)`); None for a bare `@shared_task`
    call: cst.Call | None
    # options written in the decorator call, then those preset by an alias, then `**SPREAD` dicts
    options: dict[str, cst.BaseExpression] = field(default_factory=dict)
    # True when some option comes from an expression we cannot read (`**get_opts()`): rules that
    # depend on an option being absent must stay quiet
    options_unknown: bool = False

    def has(self, name: str) -> bool:
        return name in self.options


def task_decorator(table: NameTable, decorator: cst.Decorator) -> TaskDecorator | None:
    """The task decorator in `decorator`, or None when it is not one."""
    expr = decorator.decorator
    call = expr if isinstance(expr, cst.Call) else None
    target = call.func if call is not None else expr
    binding = table.binding_of(target)
    if binding is not None and binding.kind == "task_preset":
        if call is not None:
            return None  # `@preset(...)` calls the finished decorator: not a task definition
        result = TaskDecorator(decorator, None)
        read_call_options(table, binding.node, result)
        return result
    if not is_task_factory(table, target):
        return None
    result = TaskDecorator(decorator, call)
    if call is not None:
        read_call_options(table, call, result)
    return result


def read_call_options(table: NameTable, call: cst.Call, result: TaskDecorator) -> None:
    for arg in call.args:
        if arg.keyword is not None:
            result.options.setdefault(arg.keyword.value, arg.value)
        elif arg.star == "**":
            spread = literal_dict(table, arg.value)
            if spread is None:
                result.options_unknown = True
            else:
                for key, value in spread.items():
                    result.options.setdefault(key, value)


def literal_dict(table: NameTable, expr: cst.BaseExpression) -> dict[str, cst.BaseExpression] | None:
    """String-keyed entries of a dict literal, inline or bound to a module-level name."""
    if isinstance(expr, cst.Name):
        binding = table.bindings.get(expr.value)
        statement = binding.node if binding is not None and binding.kind == "value" else None
        expr = getattr(statement, "value", None)
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value == "dict":
        if "dict" in table.bindings:
            return None
        if all(arg.keyword is not None for arg in expr.args):
            return {arg.keyword.value: arg.value for arg in expr.args}
        return None
    if not isinstance(expr, cst.Dict):
        return None
    entries: dict[str, cst.BaseExpression] = {}
    for element in expr.elements:
        if not isinstance(element, cst.DictElement):
            return None
        key = string_value(element.key)
        if key is None:
            return None
        entries[key] = element.value
    return entries


def string_value(expr: cst.BaseExpression) -> str | None:
    if isinstance(expr, cst.SimpleString):
        try:
            value = expr.evaluated_value
        except (SyntaxError, ValueError):  # e.g. "\N{NO SUCH NAME}": not a valid literal
            return None
        return value if isinstance(value, str) else None
    return None


def is_false_literal(expr: cst.BaseExpression) -> bool:
    """`False`, `None`, `0`: literals that switch an option off."""
    if isinstance(expr, cst.Name):
        return expr.value in ("False", "None")
    if isinstance(expr, cst.Integer):
        return expr.evaluated_value == 0
    return False


# one pattern per keyword: a pattern starting with a literal is searched for at C speed, the
# alternation `(?:def|class)` tried at every byte (4x slower; the main process runs these tests
# on every file some rule's words are in)
_DEFINED = (re.compile(rb"def\s+(\w+)"), re.compile(rb"class\s+(\w+)"))
_TASK_NAMES: dict = {}  # kept across files: the index's tasks do not change


def defines_any(source: bytes, tasks) -> bool:
    """Whether `source` may define one of `tasks` (index TaskInfos): a `def`/`class` of one of
    their names. A cheap relevance test for rules that look at task definitions."""
    names = remembered(
        _TASK_NAMES, tasks, tasks, None, lambda: frozenset(t.qualname.rsplit(".", 1)[-1].encode() for t in tasks)
    )
    return not names_defined(source).isdisjoint(names)


_DEFINED_NAMES = file_memo()


def names_defined(source: bytes) -> frozenset[bytes]:
    """The names after `def`/`class` in `source`. Remembered for the last source: a file's
    relevance tests (a dozen rules about tasks) ask for the same bytes one after another."""
    return remembered(
        _DEFINED_NAMES, source, source, None,
        lambda: frozenset(name for pattern in _DEFINED for name in pattern.findall(source)),
    )
