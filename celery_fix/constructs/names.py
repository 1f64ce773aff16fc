"""A one-pass table of what a module's top-level names refer to.

libcst's QualifiedNameProvider costs several parses per file; celery-fix only needs to know what
module-level names (imports, `app = Celery(...)`, decorator aliases) stand for, so it reads the
module's top-level statements once instead of resolving every name in the tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

import libcst as cst

CELERY_APP_FACTORIES = frozenset({"celery.Celery", "celery.app.Celery", "celery.app.base.Celery"})
SHARED_TASK = frozenset({"celery.shared_task", "celery.app.shared_task", "celery.app.base.shared_task"})
CURRENT_APP = frozenset({"celery.current_app", "celery.app.current_app"})


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
    node: cst.CSTNode | None = None


@dataclass
class NameTable:
    module_name: str = ""
    bindings: dict[str, Binding] = field(default_factory=dict)
    # qualified names of Celery apps defined in other project modules (from the ProjectIndex)
    project_apps: frozenset[str] = frozenset()
    # True for a package's `__init__.py`: its relative imports are relative to the package itself
    is_package: bool = False
    # qualname -> local names importing it, in binding order (built on first use, see imported_as)
    _imported: tuple[int, dict[str, list[str]]] | None = field(default=None, repr=False, compare=False)

    def imported_as(self, qualname: str) -> list[str]:
        """The module-level names bound by an import to exactly `qualname` (a table, not a scan
        of every binding: a module with thousands of tasks asks once per dispatch)."""
        if self._imported is None or self._imported[0] != len(self.bindings):
            table: dict[str, list[str]] = {}
            for local, binding in self.bindings.items():
                if binding.kind == "import":
                    table.setdefault(binding.qualname, []).append(local)
            self._imported = (len(self.bindings), table)
        return self._imported[1].get(qualname, [])

    def resolve(self, expr: cst.BaseExpression) -> str | None:
        """The dotted name `expr` refers to, or None when it is not a plain (dotted) name."""
        if isinstance(expr, cst.Name):
            binding = self.bindings.get(expr.value)
            return binding.qualname if binding else None
        if isinstance(expr, cst.Attribute):
            base = self.resolve(expr.value)
            return f"{base}.{expr.attr.value}" if base else None
        return None

    def binding_of(self, expr: cst.BaseExpression) -> Binding | None:
        return self.bindings.get(expr.value) if isinstance(expr, cst.Name) else None

    def is_celery_app(self, expr: cst.BaseExpression) -> bool:
        binding = self.binding_of(expr)
        if binding is not None and binding.kind == "app":
            return True
        qualname = self.resolve(expr)
        if qualname is None:
            return False
        if qualname in CURRENT_APP or qualname in self.project_apps:
            return True
        # Without the ProjectIndex, an app imported from another module is recognised by where it
        # comes from: `from proj.celery import app`, `from proj import celery_app`.
        if binding is not None and binding.kind == "import" and not self.project_apps:
            return _looks_like_app_import(qualname)
        return False


def _looks_like_app_import(qualname: str) -> bool:
    parts = qualname.split(".")
    if len(parts) < 2 or parts[0] == "celery":
        return False
    return any("celery" in part.lower() for part in parts)


def build_name_table(
    module: cst.Module, module_name: str = "", project_apps: frozenset[str] = frozenset(), is_package: bool = False
) -> NameTable:
    """`is_package`: the module is a package's `__init__.py` (`from .celery import app` in
    `shop/__init__.py` means `shop.celery.app`, not a sibling of `shop`)."""
    table = NameTable(module_name=module_name, project_apps=project_apps, is_package=is_package)
    for statement in _top_level_statements(module.body):
        _bind_statement(table, statement)
    return table


def _top_level_statements(body) -> Iterator[cst.CSTNode]:
    """Module-level statements, looking into `if`/`try`/`with` blocks that run at import time."""
    for statement in body:
        if isinstance(statement, cst.SimpleStatementLine):
            yield from statement.body
        elif isinstance(statement, (cst.If, cst.Try, cst.TryStar, cst.With)):
            yield from _top_level_statements(statement.body.body)
            for handler in getattr(statement, "handlers", ()):
                yield from _top_level_statements(handler.body.body)
            for tail in (getattr(statement, "orelse", None), getattr(statement, "finalbody", None)):
                if isinstance(tail, cst.If):
                    yield from _top_level_statements([tail])
                elif tail is not None:
                    yield from _top_level_statements(tail.body.body)
        else:
            yield statement


def dotted_name(expr: cst.BaseExpression) -> str | None:
    if isinstance(expr, cst.Name):
        return expr.value
    if isinstance(expr, cst.Attribute):
        base = dotted_name(expr.value)
        return f"{base}.{expr.attr.value}" if base else None
    return None


def _absolute_module(table: NameTable, node: cst.ImportFrom) -> str | None:
    module = dotted_name(node.module) if node.module is not None else ""
    if module is None:
        return None
    level = len(node.relative)
    if not level:
        return module
    if not table.module_name:
        package_parts = []
    elif table.is_package:
        package_parts = table.module_name.split(".")
    else:
        package_parts = table.module_name.split(".")[:-1]
    if level - 1 > len(package_parts) or not table.module_name:
        return "." * level + module  # unknown package: keep it relative, it resolves to nothing
    base = package_parts[: len(package_parts) - (level - 1)]
    return ".".join(part for part in [*base, module] if part)


def _bind_statement(table: NameTable, statement: cst.CSTNode) -> None:
    if isinstance(statement, cst.Import):
        for alias in statement.names:
            full = dotted_name(alias.name)
            if full is None:
                continue
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                table.bindings[alias.asname.name.value] = Binding(full, "import", statement)
            else:
                top = full.split(".")[0]
                table.bindings[top] = Binding(top, "import", statement)
    elif isinstance(statement, cst.ImportFrom):
        if isinstance(statement.names, cst.ImportStar):
            return
        module = _absolute_module(table, statement)
        if module is None:
            return
        for alias in statement.names:
            name = dotted_name(alias.name)
            local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else name
            if name and local:
                table.bindings[local] = Binding(f"{module}.{name}" if module else name, "import", statement)
    elif isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        table.bindings[statement.name.value] = Binding(_local_qualname(table, statement.name.value), "def", statement)
    elif isinstance(statement, (cst.Assign, cst.AnnAssign)):
        targets = (
            [t.target for t in statement.targets] if isinstance(statement, cst.Assign) else [statement.target]
        )
        value = statement.value
        for target in targets:
            if isinstance(target, cst.Name):
                table.bindings[target.value] = _binding_for_value(table, target.value, value, statement)


def _local_qualname(table: NameTable, name: str) -> str:
    return f"{table.module_name}.{name}" if table.module_name else name


def _binding_for_value(table: NameTable, name: str, value, statement) -> Binding:
    if isinstance(value, cst.Call):
        callee = table.resolve(value.func)
        if callee in CELERY_APP_FACTORIES:
            return Binding(_local_qualname(table, name), "app", statement)
        if is_task_factory(table, value.func):
            return Binding(_local_qualname(table, name), "task_preset", value)
    elif isinstance(value, (cst.Name, cst.Attribute)):
        # `task = app.task` or `st = shared_task`: the alias means the same thing
        source = table.binding_of(value)
        if source is not None and source.kind in ("app", "task_preset", "task_decorator"):
            return source
        if is_task_factory(table, value):
            return Binding(_local_qualname(table, name), "task_decorator", statement)
        qualname = table.resolve(value)
        if qualname is not None:
            return Binding(qualname, "import", statement)
    return Binding(_local_qualname(table, name), "value", statement)


def is_task_factory(table: NameTable, func: cst.BaseExpression) -> bool:
    """True for `shared_task` and `<celery app>.task` (the callables that make a task)."""
    if table.resolve(func) in SHARED_TASK:
        return True
    if isinstance(func, cst.Attribute) and func.attr.value == "task":
        return table.is_celery_app(func.value)
    binding = table.binding_of(func)
    return binding is not None and binding.kind == "task_decorator"
