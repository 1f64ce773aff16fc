"""Line and column of the nodes a rule reported, without PositionProvider's whole-tree metadata.

One codegen pass that counts lines and records positions only for the requested nodes: cheaper
than libcst's PositionProvider (which stores a range for every node), and only run for files that
have findings.
"""

from __future__ import annotations

import re
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Iterator

import libcst as cst
from libcst._add_slots import add_slots
from libcst._nodes.internal import CodegenState

_NEWLINES = re.compile(r"\r\n?|\n")
_NULL = nullcontext()


@dataclass(frozen=True)
class Span:
    line: int  # 1-based
    column: int  # 0-based
    end_line: int
    end_column: int


@add_slots
@dataclass(frozen=False)
class _TargetedPositionState(CodegenState):
    targets: frozenset[int] = frozenset()
    found: dict[int, Span] = field(default_factory=dict)
    line: int = 1
    column: int = 0
    stack: list[tuple[int, int] | None] = field(default_factory=list)

    def _advance(self, value: str) -> None:
        if "\n" in value or "\r" in value:
            segments = _NEWLINES.split(value)
            self.line += len(segments) - 1
            self.column = len(segments[-1])
        else:
            self.column += len(value)

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self._advance(token)

    def add_token(self, value: str) -> None:
        self._advance(value)

    def pop_trailing_newline(self) -> None:
        pass  # only the module's last token: no target lies after it

    def before_codegen(self, node: cst.CSTNode) -> None:
        self.stack.append((self.line, self.column) if id(node) in self.targets else None)

    def after_codegen(self, node: cst.CSTNode) -> None:
        start = self.stack.pop()
        if start is not None and id(node) not in self.found:
            self.found[id(node)] = Span(start[0], start[1], self.line, self.column)

    def record_syntactic_position(self, node, *, start_node=None, end_node=None):
        if id(node) not in self.targets:
            return _NULL
        return self._record(node, start_node, end_node)

    @contextmanager
    def _record(self, node, start_node, end_node) -> Iterator[None]:
        start = (self.line, self.column)
        try:
            yield
        finally:
            end = (self.line, self.column)
            self.found[id(node)] = Span(start[0], start[1], end[0], end[1])


def spans_of(module: cst.Module, nodes: list[cst.CSTNode]) -> dict[int, Span]:
    """Syntactic positions (as PositionProvider computes them) of `nodes`, keyed by id()."""
    state = _TargetedPositionState(
        default_indent=module.default_indent,
        default_newline=module.default_newline,
        targets=frozenset(id(node) for node in nodes),
    )
    module._codegen(state)
    return state.found
