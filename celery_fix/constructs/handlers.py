"""`except` handlers in a task body: which are broad, and what their bodies do."""

from __future__ import annotations

from typing import Iterator

import libcst as cst

from celery_fix.constructs.logging_calls import is_logging_call
from celery_fix.constructs.names import NameTable
from celery_fix.syntax.walk import walk

BROAD = frozenset({"Exception", "BaseException"})


def is_broad(handler: cst.ExceptHandler, names: NameTable) -> bool:
    """`except:`, `except Exception:`, `except BaseException:` (also in a tuple); the builtin only."""
    kind = handler.type
    if kind is None:
        return True
    items = [e.value for e in kind.elements] if isinstance(kind, cst.Tuple) else [kind]
    return any(isinstance(i, cst.Name) and i.value in BROAD and i.value not in names.bindings for i in items)


def handlers(function: cst.FunctionDef) -> Iterator[cst.ExceptHandler]:
    """The function's own `except` handlers (not those of nested functions or classes)."""
    found: list[cst.ExceptHandler] = []

    def enter(node: cst.CSTNode) -> bool:
        if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)) and node is not function:
            return False
        if isinstance(node, cst.ExceptHandler):
            found.append(node)
        return True

    walk(function, enter)
    return iter(found)


def small_statements(handler: cst.ExceptHandler) -> list[cst.CSTNode] | None:
    """The handler body's statements when all are simple ones (None when it has a block)."""
    found: list[cst.CSTNode] = []
    for statement in handler.body.body if isinstance(handler.body, cst.IndentedBlock) else [handler.body]:
        if not isinstance(statement, cst.SimpleStatementLine) and not isinstance(statement, cst.SimpleStatementSuite):
            return None
        found.extend(statement.body)
    return found


def is_log_statement(statement: cst.CSTNode, names: NameTable) -> bool:
    return isinstance(statement, cst.Expr) and isinstance(statement.value, cst.Call) and is_logging_call(statement.value, names)


def is_reraise(statement: cst.CSTNode, handler: cst.ExceptHandler) -> bool:
    """`raise`, or `raise exc` of the handler's own name."""
    if not isinstance(statement, cst.Raise) or statement.cause is not None:
        return False
    if statement.exc is None:
        return True
    name = handler.name.name if handler.name is not None and isinstance(handler.name.name, cst.Name) else None
    return name is not None and isinstance(statement.exc, cst.Name) and statement.exc.value == name.value
