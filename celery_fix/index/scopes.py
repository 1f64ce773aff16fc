"""A fast read-only traversal of a libcst tree, and the names a function binds locally."""

from __future__ import annotations

from typing import Any

import libcst as cst

from celery_fix.constructs.names import NameTable, _absolute_module, dotted_name


# -- a fast read-only traversal ------------------------------------------------------------------
# libcst's `module.visit()` rebuilds every node on the way out (it is made for transformers) and
# calls per-field hooks: on a read-only pass that costs more than the parse. `walk` calls the
# collector's visit_X / leave_X methods over the same nodes, skipping whitespace, comments and
# punctuation. Child order follows the dataclass fields, which is source order for every node
# the collector relies on (Assign: targets, value; Call: func, args; With: items, body; ...).
_SKIPPED_FIELDS = frozenset({
    "whitespace", "leading_lines", "lines_after_decorators", "header", "footer", "lpar", "rpar", "comma",
    "semicolon", "operator", "lbrace", "rbrace", "lbracket", "rbracket", "colon", "equal", "star", "dot",
    "newline", "trailing_whitespace", "asynchronous", "default_indent", "default_newline", "encoding",
    "has_trailing_newline", "indent", "value_whitespace",
})
_PLAN: dict[tuple[type, type], tuple] = {}


def _plan(visitor_cls: type, node_cls: type) -> tuple:
    import dataclasses

    name = node_cls.__name__
    fields = tuple(
        f.name for f in dataclasses.fields(node_cls)
        if f.name not in _SKIPPED_FIELDS and "whitespace" not in f.name
    )
    plan = (getattr(visitor_cls, f"visit_{name}", None), getattr(visitor_cls, f"leave_{name}", None), fields)
    _PLAN[(visitor_cls, node_cls)] = plan
    return plan


def walk(node: cst.CSTNode, visitor: Any) -> None:
    visitor_cls = type(visitor)
    plan = _PLAN.get((visitor_cls, type(node))) or _plan(visitor_cls, type(node))
    visit, leave, fields = plan
    if visit is not None:
        visit(visitor, node)
    for name in fields:
        child = getattr(node, name)
        if isinstance(child, cst.CSTNode):
            walk(child, visitor)
        elif isinstance(child, (tuple, list)):
            for item in child:
                if isinstance(item, cst.CSTNode):
                    walk(item, visitor)
    if leave is not None:
        leave(visitor, node)


# -- names bound inside a function (so that a local `transaction` is not django's) ---------------
def _local_names(table: NameTable, node: cst.FunctionDef | cst.Lambda) -> dict[str, str | None]:
    names: dict[str, str | None] = {}
    params = node.params
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        names[param.name.value] = None
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            names[star.name.value] = None
    if isinstance(node, cst.FunctionDef):
        _scan_block(table, node.body, names)
    return names


def _bind_target(target: cst.BaseExpression, names: dict[str, str | None]) -> None:
    if isinstance(target, cst.Name):
        names[target.value] = None
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            _bind_target(element.value, names)
    elif isinstance(target, cst.StarredElement):
        _bind_target(target.value, names)


def _scan_block(table: NameTable, block, names: dict[str, str | None]) -> None:
    body = block.body if hasattr(block, "body") else block
    if not isinstance(body, (list, tuple)):
        body = [body]
    for statement in body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Assign):
                    for target in small.targets:
                        _bind_target(target.target, names)
                elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
                    _bind_target(small.target, names)
                elif isinstance(small, cst.Import):
                    for alias in small.names:
                        full = dotted_name(alias.name)
                        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                            names[alias.asname.name.value] = full
                        elif full:
                            names[full.split(".")[0]] = full.split(".")[0]
                elif isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                    base = _absolute_module(table, small)
                    for alias in small.names:
                        name = dotted_name(alias.name)
                        local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else name
                        if name and local:
                            names[local] = f"{base}.{name}" if base else None
        elif isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            names[statement.name.value] = None  # filled with the nested qualname by the collector
        elif isinstance(statement, (cst.For,)):
            _bind_target(statement.target, names)
            _scan_block(table, statement.body, names)
            if statement.orelse:
                _scan_block(table, statement.orelse.body, names)
        elif isinstance(statement, cst.With):
            for item in statement.items:
                if item.asname is not None:
                    _bind_target(item.asname.name, names)
            _scan_block(table, statement.body, names)
        elif isinstance(statement, (cst.If, cst.While)):
            _scan_block(table, statement.body, names)
            tail = statement.orelse
            while tail is not None:
                if isinstance(tail, cst.If):
                    _scan_block(table, tail.body, names)
                    tail = tail.orelse
                else:
                    _scan_block(table, tail.body, names)
                    tail = None
        elif isinstance(statement, (cst.Try, cst.TryStar)):
            _scan_block(table, statement.body, names)
            for handler in statement.handlers:
                if handler.name is not None:
                    _bind_target(handler.name.name, names)
                _scan_block(table, handler.body, names)
            for tail in (statement.orelse, statement.finalbody):
                if tail is not None:
                    _scan_block(table, tail.body, names)
        elif isinstance(statement, cst.Match):
            for case in statement.cases:
                _scan_block(table, case.body, names)


class _Frame:
    """A function (or lambda) being visited."""

    __slots__ = ("qualname", "locals", "contexts", "results", "result_uses", "fact", "is_lambda")

    def __init__(self, qualname, locals_, fact=None, is_lambda=False):
        self.qualname = qualname
        self.locals = locals_
        self.contexts: list[str] = []  # with-items and decorators in effect (resolved dotted names)
        self.results: dict[str, tuple[str | None, str | None, list]] = {}  # local name -> dispatched target
        self.result_uses: dict[str, int] = {}
        self.fact = fact
        self.is_lambda = is_lambda
