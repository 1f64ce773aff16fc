"""A read-only walk over a libcst tree.

`node.visit(visitor)` goes through libcst's transformer machinery and rebuilds every node it
passes (it costs about as much as parsing); rules that need to look into a subtree (the names a
function binds, say) use this walk instead, which only follows the nodes' fields.
"""

from __future__ import annotations

import dataclasses
from typing import Callable, Iterator

import libcst as cst

_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}
# libcst's node classes use ABCMeta, which makes isinstance() slow in a hot loop: test the
# concrete type against this set instead (built from the MRO: issubclass() on 255 ABCs cost ~6 ms
# of every run's start)
NODE_TYPES = frozenset(
    value for value in vars(cst).values() if isinstance(value, type) and cst.CSTNode in value.__mro__
)


# where source order differs from the dataclass field order (decorators come before the body)
_SOURCE_ORDER = {
    cst.FunctionDef: ("leading_lines", "decorators", "name", "params", "returns", "body"),
    cst.ClassDef: ("leading_lines", "decorators", "name", "bases", "keywords", "body"),
}


# fields that only ever hold formatting (whitespace, comments, brackets, commas): no rule looks
# inside them, and skipping them halves the walk
_TRIVIA_FIELDS = frozenset({
    "lpar", "rpar", "comma", "leading_lines", "lines_after_decorators", "header", "footer", "semicolon",
    "equal", "colon", "first_line", "empty_lines", "indent", "last_line", "newline", "trailing_whitespace",
    "lbracket", "rbracket", "lbrace", "rbrace", "dot", "asynchronous", "whitespace",
})


def _child_fields(node_type: type) -> tuple[str, ...]:
    fields = _CHILD_FIELDS.get(node_type)
    if fields is None:
        names = [
            f.name for f in dataclasses.fields(node_type)
            if f.name not in _TRIVIA_FIELDS and not f.name.startswith("whitespace")
        ]
        first = [n for n in _SOURCE_ORDER.get(node_type, ()) if n in names]
        fields = (*first, *(n for n in names if n not in first))
        _CHILD_FIELDS[node_type] = fields
    return fields


def children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    for name in _child_fields(type(node)):
        value = getattr(node, name)
        kind = type(value)
        if kind in NODE_TYPES:
            yield value
        elif kind is list or kind is tuple:
            for item in value:
                if type(item) in NODE_TYPES:
                    yield item


def walk(node: cst.CSTNode, enter: Callable[[cst.CSTNode], bool]) -> None:
    """Call `enter` on `node` and its descendants, depth first; `enter` returning False skips
    that node's children."""
    stack = [node]
    while stack:
        current = stack.pop()
        if enter(current):
            stack.extend(reversed(list(children(current))))


def visit_batched_fast(module: cst.Module, visitors) -> None:
    """What `libcst.visit_batched` does for visitors with only `visit_<Node>`/`leave_<Node>`
    methods, over the read-only walk: libcst's own traversal rebuilds every node it passes and
    costs more than parsing. Visitors with attribute hooks (`visit_Call_func`) go to libcst."""
    visit: dict[type, list] = {}
    leave: dict[type, list] = {}
    for visitor in visitors:
        # the names alone (the methods are bound here): from the class when it offers them (ruleset/base.py)
        names = visitor.visitor_names() if hasattr(type(visitor), "visitor_names") else visitor.get_visitors()
        for name in names:
            prefix, _, node_name = name.partition("_")
            node_type = getattr(cst, node_name, None)
            if node_type not in NODE_TYPES:
                cst.visit_batched(module, visitors)
                return
            (visit if prefix == "visit" else leave).setdefault(node_type, []).append(getattr(visitor, name))
    # a node to visit is pushed as itself, one to leave as a 1-tuple (only types with leave hooks);
    # the loop is the hot path of every check: no generator, no tuple per visited node
    stack: list = [module]
    pop, push, extend = stack.pop, stack.append, stack.extend
    fields_of, node_types = _CHILD_FIELDS, NODE_TYPES
    while stack:
        node = pop()
        kind = type(node)
        if kind is tuple:
            node = node[0]
            for method in leave[type(node)]:
                method(node)
            continue
        hooks = visit.get(kind)
        if hooks is not None:
            for method in hooks:
                method(node)
        if kind in leave:
            push((node,))
        fields = fields_of.get(kind) or _child_fields(kind)
        kids = []
        for name in fields:
            value = getattr(node, name)
            value_kind = type(value)
            if value_kind in node_types:
                kids.append(value)
            elif value_kind is list or value_kind is tuple:
                kids.extend([item for item in value if type(item) in node_types])
        kids.reverse()
        extend(kids)


_HOOKS: dict[tuple[type, type], tuple[Callable | None, Callable | None]] = {}


def _hooks(visitor_type: type, node_type: type) -> tuple[Callable | None, Callable | None]:
    key = (visitor_type, node_type)
    found = _HOOKS.get(key)
    if found is None:
        name = node_type.__name__
        visit = getattr(visitor_type, f"visit_{name}", None)
        leave = getattr(visitor_type, f"leave_{name}", None)
        # CSTVisitor's own no-op hooks cost a call per node: skip them
        visit = None if visit is getattr(cst.CSTVisitor, f"visit_{name}", None) else visit
        leave = None if leave is getattr(cst.CSTVisitor, f"leave_{name}", None) else leave
        found = _HOOKS[key] = (visit, leave)
    return found


def visit_readonly(node: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
    """`node.visit(visitor)` for a visitor that only looks (`visit_<Node>`, which may return False
    to skip the children, and `leave_<Node>`), over the read-only walk: no node is rebuilt."""
    visitor_type = type(visitor)
    stack: list[tuple[cst.CSTNode, bool]] = [(node, False)]
    while stack:
        current, leaving = stack.pop()
        visit, leave = _hooks(visitor_type, type(current))
        if leaving:
            leave(visitor, current)  # type: ignore[misc]
            continue
        if visit is not None and visit(visitor, current) is False:
            continue
        if leave is not None:
            stack.append((current, True))
        stack.extend((child, False) for child in reversed(list(children(current))))
