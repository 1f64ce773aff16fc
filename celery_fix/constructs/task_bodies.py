"""The tasks a module defines, with their bodies and their effective options.

A task is a decorated function (`@shared_task`, `@app.task`, a preset) or a class-based task (a
`celery.Task` subclass defining `run`, or one the ProjectIndex lists as a class task). Its options
are what the file writes (decorator keywords, class attributes) over what the index knows it
inherits (a `base=` class and that class's bases, in any module); what the file writes wins, as
the index may have been built before a fix changed the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

import libcst as cst

from celery_fix.constructs.names import NameTable
from celery_fix.constructs.results import find_task, module_task_defs
from celery_fix.constructs.tasks import TaskDecorator, defines_any, names_defined
from celery_fix.index.values import UNKNOWN, is_unknown
from celery_fix.syntax.file_memo import remembered
from celery_fix.syntax.walk import walk

# Celery's own task classes: a `base=` naming one of them adds no option
CELERY_TASK_CLASSES = frozenset({
    "celery.Task", "celery.app.task.Task", "celery.task.Task", "celery.contrib.django.task.DjangoTask",
    "celery.contrib.abortable.AbortableTask",
})
ABSENT = object()  # an option that is provably not set (Celery's default applies)


@dataclass
class TaskBody:
    tail: str  # qualname inside the module
    function: cst.FunctionDef  # the task function, or the class's `run`
    report_node: cst.CSTNode  # the decorator, or the class's name
    info: Any = None  # the index's TaskInfo, when there is one
    decorator: Optional[TaskDecorator] = None  # function tasks
    cls: Optional[cst.ClassDef] = None  # class-based tasks
    attributes: dict[str, cst.BaseExpression] = field(default_factory=dict)  # class-body options
    # the options may come from somewhere we cannot read (a spread, a base class outside the
    # project, or no index to follow a project `base=` with)
    unknown: bool = False

    @property
    def bound(self) -> bool:
        """Whether the first parameter is the task (`bind=True`, or a class's `run`)."""
        if self.cls is not None:
            return True
        value = self.written("bind")
        return isinstance(value, cst.Name) and value.value == "True"

    @property
    def task_param(self) -> Optional[str]:
        """The parameter that holds the task (`self`) in a bound task."""
        params = self.function.params.params
        return params[0].name.value if self.bound and params else None

    def written(self, key: str) -> Optional[cst.BaseExpression]:
        """The option as this file writes it on the task itself (decorator keyword or class attribute)."""
        if self.decorator is not None:
            return self.decorator.options.get(key)
        return self.attributes.get(key)

    def value(self, key: str, names: NameTable) -> Any:
        """The effective option: a literal (or `cst` node when not literal) written here, else
        what the index knows, else ABSENT when provably not set, else UNKNOWN."""
        written = self.written(key)
        if written is not None:
            return literal(written, names)
        if self.info is not None and key in self.info.options:
            return self.info.options[key]
        return UNKNOWN if self.unknown else ABSENT

    def source(self, key: str) -> str:
        """Where the effective option comes from, for messages: "" when written here."""
        if self.written(key) is not None or self.info is None:
            return ""
        where = self.info.option_source(key) or ""
        return where[len("class "):] if where.startswith("class ") else where


def module_tasks(module: cst.Module, names: NameTable, index: Any = None, path: str = "") -> Iterator[TaskBody]:
    """Every task the module defines at import time, function tasks then class-based ones."""
    for definition in module_task_defs(module, names):
        info = find_task(index, path, definition.tail) if index is not None and path else None
        unknown = definition.task.options_unknown
        base = definition.task.options.get("base")
        if info is not None:
            unknown = unknown or info.options_unknown
        elif base is not None and names.resolve(base) not in CELERY_TASK_CLASSES:
            unknown = True  # a project base class we cannot follow without the index
        yield TaskBody(definition.tail, definition.node, definition.decorator, info, decorator=definition.task,
                       unknown=unknown)
    for statement in module.body:
        if isinstance(statement, cst.ClassDef):
            body = class_task(statement, names, index, path)
            if body is not None:
                yield body


def class_task(node: cst.ClassDef, names: NameTable, index: Any, path: str) -> Optional[TaskBody]:
    run = _run_method(node)
    if run is None or not isinstance(node.body, cst.IndentedBlock):
        return None
    info = find_task(index, path, node.name.value, kind="class") if index is not None and path else None
    direct = any(names.resolve(base.value) in CELERY_TASK_CLASSES or _app_task(names, base.value) for base in node.bases)
    if info is None and not direct:
        return None
    attributes = class_attributes(node)
    if "abstract" in attributes:
        return None
    unknown = info.options_unknown if info is not None else not direct
    return TaskBody(node.name.value, run, node.name, info, cls=node, attributes=attributes, unknown=unknown)


def class_attributes(node: cst.ClassDef) -> dict[str, cst.BaseExpression]:
    found: dict[str, cst.BaseExpression] = {}
    if not isinstance(node.body, cst.IndentedBlock):
        return found
    for statement in node.body.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Assign):
                for target in small.targets:
                    if isinstance(target.target, cst.Name):
                        found[target.target.value] = small.value
            elif isinstance(small, cst.AnnAssign) and small.value is not None and isinstance(small.target, cst.Name):
                found[small.target.value] = small.value
    return found


def class_attribute_node(node: cst.ClassDef, key: str) -> Optional[cst.CSTNode]:
    """The `key = ...` statement's value in the class body (the node to report on)."""
    return class_attributes(node).get(key)


def _run_method(node: cst.ClassDef) -> Optional[cst.FunctionDef]:
    if not isinstance(node.body, cst.IndentedBlock):
        return None
    for statement in node.body.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value == "run":
            return statement
    return None


def _app_task(names: NameTable, expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Attribute) and expr.attr.value == "Task" and names.is_celery_app(expr.value)


def literal(expr: cst.BaseExpression, names: NameTable, depth: int = 0) -> Any:
    """A Python value for simple literals (True/False/None, numbers, strings); tuples and lists
    of them; the node itself otherwise. A module-level name is followed to its value."""
    if isinstance(expr, cst.Name):
        if expr.value in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[expr.value]
        binding = names.bindings.get(expr.value)
        statement = binding.node if binding is not None and binding.kind == "value" else None
        value = getattr(statement, "value", None)
        if isinstance(value, cst.BaseExpression) and depth < 5:
            return literal(value, names, depth + 1)
        return expr
    if isinstance(expr, cst.Integer):
        return expr.evaluated_value
    if isinstance(expr, cst.Float):
        return expr.evaluated_value
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        inner = literal(expr.expression, names, depth + 1)
        return -inner if isinstance(inner, (int, float)) and not isinstance(inner, bool) else expr
    if isinstance(expr, cst.SimpleString):
        try:
            return expr.evaluated_value
        except (SyntaxError, ValueError):
            return expr
    return expr


def is_true(value: Any) -> bool:
    return value is True


def known_absent(value: Any) -> bool:
    return value is ABSENT


def exception_names(expr: cst.BaseExpression, names: NameTable, depth: int = 0) -> Optional[list[tuple[str, cst.CSTNode]]]:
    """The exception classes an `autoretry_for` expression names, resolved through the imports
    (a builtin keeps its bare name): [(qualname, node)]; None when it cannot be read."""
    if isinstance(expr, (cst.Tuple, cst.List)):
        found: list[tuple[str, cst.CSTNode]] = []
        for element in expr.elements:
            if isinstance(element, cst.StarredElement):
                return None
            inner = exception_names(element.value, names, depth + 1)
            if inner is None:
                return None
            found.extend(inner)
        return found
    if isinstance(expr, cst.Name):
        binding = names.bindings.get(expr.value)
        if binding is None:
            return [(expr.value, expr)]  # a builtin (or a name bound by code we do not follow)
        if binding.kind == "value" and depth < 5:
            value = getattr(binding.node, "value", None)
            if isinstance(value, (cst.Tuple, cst.List)):
                return exception_names(value, names, depth + 1)
        return [(binding.qualname, expr)] if binding.qualname else None
    if isinstance(expr, cst.Attribute):
        qualname = names.resolve(expr)
        if qualname is None:
            # `Order.DoesNotExist` of a local model: keep the written dotted name
            qualname = _dotted(expr)
        return [(qualname, expr)] if qualname else None
    return None


def index_exception_names(value: Any) -> Optional[list[str]]:
    """The same, from the index's value of an inherited `autoretry_for` (Refs)."""
    if is_unknown(value):
        return None
    items = value if isinstance(value, (tuple, list)) else (value,)
    found = []
    for item in items:
        name = getattr(item, "name", None)
        if not isinstance(name, str):
            return None
        found.append(name)
    return found


def _dotted(expr: cst.BaseExpression) -> Optional[str]:
    if isinstance(expr, cst.Name):
        return expr.value
    if isinstance(expr, cst.Attribute):
        base = _dotted(expr.value)
        return f"{base}.{expr.attr.value}" if base else None
    return None


def inner_statements(function: cst.FunctionDef) -> list[cst.BaseStatement]:
    """The function's statements, without a leading docstring."""
    body = function.body
    if not isinstance(body, cst.IndentedBlock):
        return list(body.body) if hasattr(body, "body") else []
    statements = list(body.body)
    if statements and isinstance(statements[0], cst.SimpleStatementLine) and len(statements[0].body) == 1:
        first = statements[0].body[0]
        if isinstance(first, cst.Expr) and isinstance(first.value, (cst.SimpleString, cst.ConcatenatedString)):
            statements = statements[1:]
    return statements


def retry_calls(body: TaskBody) -> list[cst.Call]:
    """`self.retry(...)` calls in the task body (not in nested functions or classes)."""
    param = body.task_param or "self"
    found: list[cst.Call] = []

    def enter(node: cst.CSTNode) -> bool:
        if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)) and node is not body.function:
            return False
        if isinstance(node, cst.Call) and is_task_retry(node, param):
            found.append(node)
        return True

    walk(body.function, enter)
    return found


def is_task_retry(call: cst.Call, param: str) -> bool:
    func = call.func
    return (isinstance(func, cst.Attribute) and func.attr.value == "retry"
            and isinstance(func.value, cst.Name) and func.value.value == param)


def keyword(call: cst.Call, name: str) -> Optional[cst.Arg]:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def has_spread(call: cst.Call) -> bool:
    return any(arg.star == "**" for arg in call.args)


def index_task_classes(index: Any) -> frozenset[str]:
    """Qualnames of the project classes tasks inherit from (a `base=`, a class in the chain that
    sets an option) and of class-based tasks: the classes whose attributes are task options."""
    if index is None:
        return frozenset()
    cached = _TASK_CLASSES.get(id(index))
    tasks = getattr(index, "tasks", ()) or ()
    if cached is None or cached[0] is not tasks:
        found: set[str] = set()
        for task in tasks:
            if task.base:
                found.add(task.base)
            if task.kind == "class":
                found.add(task.qualname)
            for source in (getattr(task, "option_sources", None) or {}).values():
                if source.startswith("class "):
                    found.add(source[len("class "):])
        cached = (tasks, frozenset(found))
        _TASK_CLASSES.clear()
        _TASK_CLASSES[id(index)] = cached
    return cached[1]


_TASK_CLASSES: dict[int, tuple] = {}


def task_classes(module: cst.Module, names: NameTable, index: Any = None) -> Iterator[cst.ClassDef]:
    """Module-level classes whose attributes are task options: `celery.Task` (or `app.Task`)
    subclasses, and classes the index knows tasks inherit from (a chain of project bases)."""
    known = index_task_classes(index)
    prefix = f"{names.module_name}." if names.module_name else ""
    for statement in module.body:
        if not isinstance(statement, cst.ClassDef):
            continue
        if f"{prefix}{statement.name.value}" in known or any(
            names.resolve(base.value) in CELERY_TASK_CLASSES or _app_task(names, base.value) for base in statement.bases
        ):
            yield statement


def is_empty(value: Any) -> bool:
    """An empty tuple or list, as a value or as written."""
    if isinstance(value, (tuple, list)):
        return not value
    return isinstance(value, (cst.Tuple, cst.List)) and not value.elements



def may_define_task(source: bytes, index: Any = None, classes: bool = False) -> bool:
    """A cheap relevance test for rules about task definitions: the file may define a task (with
    the index: a `def`/`class` of one of its tasks' names; without: the word `task`/`Task`), or,
    with `classes`, a task class whose attributes tasks inherit (the word `Task`)."""
    if (classes or index is None) and b"Task" in source:
        return True
    if index is None:
        return b"task" in source
    return defines_any(source, index.tasks)


_INHERITING: dict = {}  # kept across files: the index's tasks do not change


def defines_inheriting(source: bytes, index: Any, key: str) -> bool:
    """Whether `source` may define a task of the index whose option `key` comes from a class."""
    tasks = getattr(index, "tasks", ()) or ()
    names = remembered(
        _INHERITING, tasks, tasks, key,
        lambda: frozenset(t.function.encode() for t in tasks if t.inherited(key) and t.function),
    )
    return bool(names) and not names_defined(source).isdisjoint(names)
