"""The module's name table for a libcst tree: the one builder (`constructs/bindings.py`) fed an
`ast` stand-in for each top-level libcst statement, so that each binding points at the libcst node.

libcst's QualifiedNameProvider costs several parses per file; celery-fix only needs to know what
module-level names (imports, `app = Celery(...)`, decorator aliases) stand for, so it reads the
module's top-level statements once instead of resolving every name in the tree.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

import libcst as cst

from celery_fix.constructs import bindings
from celery_fix.constructs.bindings import (  # noqa: F401 (re-exported)
    CELERY_APP_FACTORIES,
    CURRENT_APP,
    SHARED_TASK,
    Binding,
    _looks_like_app_import,
    bind_statements,
)


def dotted_name(expr: cst.BaseExpression) -> str | None:
    """`a.b.c` for a libcst Name/Attribute chain, else None."""
    if isinstance(expr, cst.Name):
        return expr.value
    if isinstance(expr, cst.Attribute):
        base = dotted_name(expr.value)
        return f"{base}.{expr.attr.value}" if base else None
    return None


def _plain_name(expr: cst.BaseExpression) -> str | None:
    return expr.value if isinstance(expr, cst.Name) else None


class NameTable(bindings.NameTable):
    """`bindings.NameTable` taking libcst expressions; `Binding.node` holds libcst nodes."""

    # id() of the import statements under `if TYPE_CHECKING:`: they name things for the type
    # checker but bind nothing at run time, so a fix must not rely on them
    __slots__ = ("type_checking", "_imported")
    dotted = staticmethod(dotted_name)
    plain_name = staticmethod(_plain_name)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.type_checking: frozenset[int] = frozenset()
        # qualname -> local names importing it, in binding order (built on first use, see imported_as)
        self._imported: tuple[int, dict[str, list[str]]] | None = None

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

    def at_run_time(self, binding: Binding) -> bool:
        return id(binding.node) not in self.type_checking


def is_task_factory(table: NameTable, func: cst.BaseExpression) -> bool:
    """True for `shared_task` and `<celery app>.task` (the callables that make a task)."""
    return table.is_task_factory(func)


def build_name_table(
    module: cst.Module, module_name: str = "", project_apps: frozenset[str] = frozenset(), is_package: bool = False
) -> NameTable:
    """`is_package`: the module is a package's `__init__.py` (`from .celery import app` in
    `shop/__init__.py` means `shop.celery.app`, not a sibling of `shop`)."""
    table = NameTable(module_name, project_apps=project_apps, is_package=is_package)
    bind_statements(table, _paired_statements(module))
    table.type_checking = frozenset(_type_checking_imports(module.body))
    return table


def _type_checking_imports(body) -> set[int]:
    found: set[int] = set()
    for statement in body:
        if isinstance(statement, cst.If) and (dotted_name(statement.test) or "").split(".")[-1] == "TYPE_CHECKING":
            for line in statement.body.body:
                if isinstance(line, cst.SimpleStatementLine):
                    found.update(id(small) for small in line.body if isinstance(small, (cst.Import, cst.ImportFrom)))
    return found


def _paired_statements(module: cst.Module) -> Iterator[tuple[ast.stmt, cst.CSTNode]]:
    """Each top-level libcst statement that can bind a name, with an `ast` stand-in for it."""
    for leaf in _top_level_statements(module.body):
        twin = _twin(leaf)
        if twin is not None:
            yield twin, leaf


def _top_level_statements(body) -> Iterator[cst.CSTNode]:
    """`bindings.top_level_statements` for libcst: the same statements, in the same order."""
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


def _twin(leaf: cst.CSTNode) -> ast.stmt | None:
    """The `ast` statement the builder reads in place of `leaf`, or None when `leaf` binds nothing
    it knows. Built from the node rather than by parsing the module's text with `ast` (a tenth of
    libcst's parse, but a whole-file parse per check) and holding only what the builder reads: an
    import's names, a definition's name, an assignment's plain-name targets and the dotted name its
    value is or calls (`bindings._binding_for_value`)."""
    kind = type(leaf)
    if kind is cst.FunctionDef:
        return ast.FunctionDef(name=leaf.name.value)
    if kind is cst.ClassDef:
        return ast.ClassDef(name=leaf.name.value)
    if kind is cst.Import:
        return ast.Import(names=[_alias(dotted_name(a.name), a) for a in leaf.names])
    if kind is cst.ImportFrom:
        star = isinstance(leaf.names, cst.ImportStar)
        names = [ast.alias("*")] if star else [_alias(a.name.value, a) for a in leaf.names]
        module = dotted_name(leaf.module) if leaf.module is not None else None
        return ast.ImportFrom(module=module, names=names, level=len(leaf.relative))
    if kind is not cst.Assign and kind is not cst.AnnAssign:
        return None
    targets = [t.target for t in leaf.targets] if kind is cst.Assign else [leaf.target]
    names = [ast.Name(t.value) for t in targets if isinstance(t, cst.Name)]
    if not names:
        return None
    value, stand_in = leaf.value, ast.Constant(None)
    dotted = dotted_name(value.func if isinstance(value, cst.Call) else value) if value is not None else None
    if dotted is not None:
        head, *attributes = dotted.split(".")
        stand_in = ast.Name(head)
        for attribute in attributes:
            stand_in = ast.Attribute(stand_in, attribute)
        if isinstance(value, cst.Call):
            stand_in = ast.Call(stand_in, [], [])
    return ast.Assign(targets=names, value=stand_in)


def _alias(name: str | None, alias: cst.ImportAlias) -> ast.alias:
    asname = alias.asname.name if alias.asname is not None else None
    return ast.alias(name, asname.value if isinstance(asname, cst.Name) else None)
