"""What a module's top-level names refer to: the one name-table builder, over the stdlib `ast`.

The index's collector builds it from its `ast` tree; the rules get the same table for the libcst
module they check (`celery_fix.constructs.names`, which pairs each top-level statement of the libcst
tree with its `ast` twin, so that `Binding.node` is the libcst node there). Only top-level
statements count (imports, `app = Celery(...)`, decorator aliases), looking into `if`/`try`/`with`
blocks that run at import time. Plain `ast` and data: the index uses it without loading libcst.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

CELERY_APP_FACTORIES = frozenset({"celery.Celery", "celery.app.Celery", "celery.app.base.Celery"})
SHARED_TASK = frozenset({"celery.shared_task", "celery.app.shared_task", "celery.app.base.shared_task"})
CURRENT_APP = frozenset({"celery.current_app", "celery.app.current_app"})

_Name, _Attribute, _Call = ast.Name, ast.Attribute, ast.Call


@dataclass(frozen=True)
class Binding:
    """What a module-level name is bound to.

    kind: "import" (qualname is the imported object), "app" (a Celery app created here),
    "task_decorator" (an alias of `shared_task` / `app.task`), "task_preset" (`x = shared_task(...)`:
    a decorator with preset options; `node` is that call), "def" (a function or class defined here)
    or "value" (anything else: shadows earlier imports; `node` is the assignment).
    """

    qualname: str
    kind: str
    node: Any = None  # a libcst or an `ast` node, by the tree the table was built for


def _looks_like_app_import(qualname: str) -> bool:
    parts = qualname.split(".")
    if len(parts) < 2 or parts[0] == "celery":
        return False
    return any("celery" in part.lower() for part in parts)


def dotted_name(expr: ast.AST) -> str | None:
    """`a.b.c` for an `ast` Name/Attribute chain, else None."""
    if type(expr) is _Name:
        return expr.id
    if type(expr) is _Attribute:
        base = dotted_name(expr.value)
        return f"{base}.{expr.attr}" if base else None
    return None


def _plain_name(expr: ast.AST) -> str | None:
    return expr.id if type(expr) is _Name else None


class NameTable:
    """A module's top-level bindings. The `*_dotted` methods take a dotted name (or None); the
    others an expression of the tree the table was built for (an `ast` one here; a subclass for
    libcst only swaps `dotted` and `plain_name`)."""

    __slots__ = ("bindings", "is_package", "module_name", "project_apps")
    dotted = staticmethod(dotted_name)
    plain_name = staticmethod(_plain_name)

    def __init__(
        self,
        module_name: str = "",
        bindings: dict[str, Binding] | None = None,
        project_apps: frozenset[str] = frozenset(),
        is_package: bool = False,
    ) -> None:
        self.module_name = module_name
        self.bindings: dict[str, Binding] = {} if bindings is None else bindings
        # qualified names of Celery apps defined in other project modules (from the ProjectIndex)
        self.project_apps = project_apps
        # True for a package's `__init__.py`: its relative imports are relative to the package itself
        self.is_package = is_package

    # -- by expression ---------------------------------------------------------------------------
    def resolve(self, expr) -> str | None:
        """The dotted name `expr` refers to, or None when it is not a plain (dotted) name."""
        return self.resolve_dotted(self.dotted(expr))

    def binding_of(self, expr) -> Binding | None:
        name = self.plain_name(expr)
        return self.bindings.get(name) if name is not None else None

    def is_celery_app(self, expr) -> bool:
        return self.is_celery_app_dotted(self.dotted(expr))

    def is_task_factory(self, func) -> bool:
        """True for `shared_task` and `<celery app>.task` (the callables that make a task)."""
        return self.is_task_factory_dotted(self.dotted(func))

    # -- by dotted name --------------------------------------------------------------------------
    def resolve_dotted(self, dotted: str | None) -> str | None:
        if dotted is None:
            return None
        head, dot, rest = dotted.partition(".")
        binding = self.bindings.get(head)
        if binding is None:
            return None
        return f"{binding.qualname}.{rest}" if dot else binding.qualname

    def is_celery_app_dotted(self, dotted: str | None) -> bool:
        if dotted is None:
            return False
        binding = self.bindings.get(dotted) if "." not in dotted else None
        if binding is not None and binding.kind == "app":
            return True
        qualname = self.resolve_dotted(dotted)
        if qualname is None:
            return False
        if qualname in CURRENT_APP or qualname in self.project_apps:
            return True
        # Without the ProjectIndex, an app imported from another module is recognised by where it
        # comes from: `from proj.celery import app`, `from proj import celery_app`.
        if binding is not None and binding.kind == "import" and not self.project_apps:
            return _looks_like_app_import(qualname)
        return False

    def is_task_factory_dotted(self, dotted: str | None) -> bool:
        if dotted is None:
            return False
        if self.resolve_dotted(dotted) in SHARED_TASK:
            return True
        receiver, dot, attribute = dotted.rpartition(".")
        if dot:
            return attribute == "task" and self.is_celery_app_dotted(receiver)
        binding = self.bindings.get(dotted)
        return binding is not None and binding.kind == "task_decorator"


# -- building ------------------------------------------------------------------------------------
_COMPOUND_TOP = (ast.If, ast.Try, ast.TryStar, ast.With, ast.AsyncWith) if hasattr(ast, "TryStar") else (
    ast.If, ast.Try, ast.With, ast.AsyncWith)
COMPOUND_TOP = _COMPOUND_TOP  # blocks whose statements run at import time


def top_level_statements(body) -> Iterator[ast.stmt]:
    """Module-level statements, looking into `if`/`try`/`with` blocks that run at import time."""
    for statement in body:
        if isinstance(statement, _COMPOUND_TOP):
            yield from top_level_statements(statement.body)
            for handler in getattr(statement, "handlers", ()):
                yield from top_level_statements(handler.body)
            yield from top_level_statements(getattr(statement, "orelse", ()))
            yield from top_level_statements(getattr(statement, "finalbody", ()))
        else:
            yield statement


def build_name_table(
    module: ast.Module, module_name: str = "", is_package: bool = False, project_apps: frozenset[str] = frozenset()
) -> NameTable:
    """The table of an `ast` module (Binding.node holds its `ast` nodes). `is_package`: the
    module is a package's `__init__.py` (`from .celery import app` in `shop/__init__.py` means
    `shop.celery.app`, not a sibling of `shop`)."""
    table = NameTable(module_name, project_apps=project_apps, is_package=is_package)
    bind_statements(table, ((s, s) for s in top_level_statements(module.body)))
    return table


def bind_statements(table: NameTable, statements: Iterable[tuple[ast.stmt, Any]]) -> None:
    """Bind each top-level `ast` statement, in order; `Binding.node` is its paired node (the
    statement itself, or its libcst twin), or that node's `.value` for a preset call."""
    for statement, node in statements:
        _bind_statement(table, statement, node)


def absolute_module(table: NameTable, node: ast.ImportFrom) -> str | None:
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
        return "." * level + module  # unknown package: keep it relative, it resolves to nothing
    base = package_parts[: len(package_parts) - (level - 1)]
    return ".".join(part for part in [*base, module] if part)


def _bind_statement(table: NameTable, statement: ast.stmt, node: Any) -> None:
    kind = type(statement)
    if kind is ast.Import:
        for alias in statement.names:
            full = alias.name
            if alias.asname is not None:
                table.bindings[alias.asname] = Binding(full, "import", node)
            else:
                top = full.split(".")[0]
                table.bindings[top] = Binding(top, "import", node)
    elif kind is ast.ImportFrom:
        if any(alias.name == "*" for alias in statement.names):
            return
        module = absolute_module(table, statement)
        if module is None:
            return
        for alias in statement.names:
            name = alias.name
            local = alias.asname or name
            table.bindings[local] = Binding(f"{module}.{name}" if module else name, "import", node)
    elif kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
        table.bindings[statement.name] = Binding(_local_qualname(table, statement.name), "def", node)
    elif kind is ast.Assign or kind is ast.AnnAssign:
        targets = statement.targets if kind is ast.Assign else [statement.target]
        value = statement.value
        for target in targets:
            if type(target) is _Name:
                table.bindings[target.id] = _binding_for_value(table, target.id, value, node)


def _local_qualname(table: NameTable, name: str) -> str:
    return f"{table.module_name}.{name}" if table.module_name else name


def _binding_for_value(table: NameTable, name: str, value, node) -> Binding:
    if type(value) is _Call:
        func = dotted_name(value.func)
        if table.resolve_dotted(func) in CELERY_APP_FACTORIES:
            return Binding(_local_qualname(table, name), "app", node)
        if table.is_task_factory_dotted(func):
            return Binding(_local_qualname(table, name), "task_preset", node.value)
    elif type(value) is _Name or type(value) is _Attribute:
        # `task = app.task` or `st = shared_task`: the alias means the same thing
        source = table.bindings.get(value.id) if type(value) is _Name else None
        if source is not None and source.kind in ("app", "task_preset", "task_decorator"):
            return source
        dotted = dotted_name(value)
        if table.is_task_factory_dotted(dotted):
            return Binding(_local_qualname(table, name), "task_decorator", node)
        qualname = table.resolve_dotted(dotted)
        if qualname is not None:
            return Binding(qualname, "import", node)
    return Binding(_local_qualname(table, name), "value", node)
