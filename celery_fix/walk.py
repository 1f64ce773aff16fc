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
# concrete type against this set instead
NODE_TYPES = frozenset(
    value for value in vars(cst).values() if isinstance(value, type) and issubclass(value, cst.CSTNode)
)


def _child_fields(node_type: type) -> tuple[str, ...]:
    fields = _CHILD_FIELDS.get(node_type)
    if fields is None:
        fields = tuple(f.name for f in dataclasses.fields(node_type))
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
