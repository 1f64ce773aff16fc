"""Adding the imports a fix needs (`from functools import partial`), after the module's own imports.

Fixes are node replacements; a new import is not a replacement of any reported node, so a rule
lists the imports its fix needs and the engine adds the missing ones once per fixed module.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from celery_fix.constructs.names import build_name_table


def ensure_imports(module: cst.Module, needed: list[tuple[str, str]]) -> cst.Module:
    """`module` with `from <module> import <name>` added for each pair not bound yet. A rule
    checks that `name` is free (or already that object) before it relies on it."""
    plan = plan_imports(module, needed)
    if plan is None:
        return module
    body = list(module.body)
    position = plan.position
    if plan.blank_lines_after:
        body[position] = body[position].with_changes(leading_lines=[cst.EmptyLine()] * plan.blank_lines_after)
    return module.with_changes(body=[*body[:position], *plan.statements, *body[position:]])


@dataclass(frozen=True)
class ImportPlan:
    """Where the missing imports go: before `module.body[position]`, as `statements`; the
    statement that follows them gets `blank_lines_after` empty lines (it has none yet)."""

    position: int
    statements: tuple[cst.SimpleStatementLine, ...]
    blank_lines_after: int = 0


def plan_imports(module: cst.Module, needed: list[tuple[str, str]]) -> ImportPlan | None:
    """None when every needed name is bound to the right object already."""
    table = build_name_table(module)
    missing: list[tuple[str, str]] = []
    for source, name in needed:
        binding = table.bindings.get(name)
        if binding is not None and binding.qualname == f"{source}.{name}":
            continue
        if (source, name) not in missing:
            missing.append((source, name))
    if not missing:
        return None
    statements = [
        cst.SimpleStatementLine(
            body=[cst.ImportFrom(module=cst.parse_expression(source), names=[cst.ImportAlias(name=cst.Name(name))])]
        )
        for source, name in missing
    ]
    body = module.body
    position = _insert_position(body)
    if position > 0 and _is_docstring(body[position - 1]):
        statements[0] = statements[0].with_changes(leading_lines=[cst.EmptyLine()])
    blank = 0
    if position < len(body) and not _is_import(body[position]) and not body[position].leading_lines:
        # code right after the new imports gets the blank lines PEP 8 asks for
        blank = 2 if isinstance(body[position], (cst.FunctionDef, cst.ClassDef)) else 1
    return ImportPlan(position, tuple(statements), blank)


def _is_import(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body
    )


def _is_docstring(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _insert_position(body) -> int:
    """After the last top-level import of the leading import block (after a docstring when
    there are no imports)."""
    position = 0
    if body and _is_docstring(body[0]):
        position = 1
    last_import = None
    for index, statement in enumerate(body):
        if _is_import(statement):
            last_import = index
        elif index > position and not _is_docstring(statement) and last_import is not None:
            break
    return last_import + 1 if last_import is not None else position
