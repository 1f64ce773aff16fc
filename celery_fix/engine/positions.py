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

LINE_BREAK = re.compile(r"\r\n?|\n")  # the line breaks libcst counts (not str.splitlines' \f etc.)
_NULL = nullcontext()


@dataclass(frozen=True)
class Span:
    line: int  # 1-based
    column: int  # 0-based
    end_line: int
    end_column: int
    # where the node's own code (whitespace it owns included) sits in module.code, and the indent
    # in force there: enough to splice a replacement in without re-generating the whole module
    start_offset: int = -1
    end_offset: int = -1
    indent_tokens: tuple[str, ...] = ()


@add_slots
@dataclass(frozen=False)
class _TargetedPositionState(CodegenState):
    targets: set[int] = field(default_factory=set)
    found: dict[int, Span] = field(default_factory=dict)
    line: int = 1
    column: int = 0
    offset: int = 0
    stack: list[tuple[int, int, int, tuple[str, ...]] | None] = field(default_factory=list)
    syntactic: dict[int, tuple[int, int, int, int]] = field(default_factory=dict)
    wanted: frozenset[int] | None = None
    left: int = 0  # wanted nodes not found yet (a count: a subset test per node is quadratic)

    def _advance(self, value: str) -> None:
        self.offset += len(value)
        if "\n" in value or "\r" in value:
            segments = LINE_BREAK.split(value)
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
        if id(node) in self.targets:
            self.stack.append((self.line, self.column, self.offset, tuple(self.indent_tokens)))
        else:
            self.stack.append(None)

    def after_codegen(self, node: cst.CSTNode) -> None:
        start = self.stack.pop()
        if start is None or id(node) in self.found:
            return
        line, column, end_line, end_column = self.syntactic.get(id(node), (start[0], start[1], self.line, self.column))
        self.found[id(node)] = Span(line, column, end_line, end_column, start[2], self.offset, start[3])
        if self.wanted is not None and id(node) in self.wanted:
            self.left -= 1
            if not self.left:
                raise _AllFound  # the rest of the module cannot move a position already found

    def record_syntactic_position(self, node, *, start_node=None, end_node=None):
        if id(node) not in self.targets:
            return _NULL
        return self._record(node, start_node, end_node)

    @contextmanager
    def _record(self, node, start_node, end_node) -> Iterator[None]:
        # a node's range can be hoisted from a child's (FunctionDef ends where its body ends):
        # track those children too, as PositionProvider does
        for child in (start_node, end_node):
            if child is not None:
                self.targets.add(id(child))
        start = (self.line, self.column)
        try:
            yield
        finally:
            line, column, end_line, end_column = start[0], start[1], self.line, self.column
            if start_node is not None and id(start_node) in self.found:
                line, column = self.found[id(start_node)].line, self.found[id(start_node)].column
            if end_node is not None and id(end_node) in self.found:
                end_line, end_column = self.found[id(end_node)].end_line, self.found[id(end_node)].end_column
            # the syntactic range (without owned whitespace) is what a finding points at
            self.syntactic[id(node)] = (line, column, end_line, end_column)


def spans_of(
    module: cst.Module, nodes: list[cst.CSTNode], first_lines: tuple[int, ...] | None = None, code: str | None = None,
) -> dict[int, Span]:
    """Syntactic positions (as PositionProvider computes them) of `nodes`, keyed by id().
    `first_lines`: the line of each top-level statement's first token (from the `ast`, see
    statement_spans) and `code` the module's code: then only the statements holding the nodes
    are generated."""
    if first_lines is not None and code is not None and nodes:
        found = statement_spans(module, nodes, first_lines, code)
        if found is not None:
            return found
    wanted = frozenset(id(node) for node in nodes)
    state = _TargetedPositionState(
        default_indent=module.default_indent,
        default_newline=module.default_newline,
        targets=set(wanted),
        wanted=wanted,
        left=len(wanted),
    )
    try:
        module._codegen(state)
    except _AllFound:
        pass  # codegen stops after the last node asked for
    return state.found


class _AllFound(Exception):
    pass


def statement_spans(
    module: cst.Module, nodes: list[cst.CSTNode], first_lines: tuple[int, ...], code: str,
) -> dict[int, Span] | None:
    """spans_of, generating only the top-level statements that hold `nodes`: a statement's code
    starts at column 0 of its first token's line less its leading (comment or blank) lines. None
    when that does not hold up (a node in no statement's fields, a statement whose generated code
    is not the text found there): spans_of then generates the module."""
    body = module.body
    if len(first_lines) != len(body):
        return None
    homes = _homes(body, {id(node) for node in nodes})
    if homes is None:
        return None
    starts = [0, *(match.end() for match in LINE_BREAK.finditer(code))]
    found: dict[int, Span] = {}
    for index, wanted in homes.items():
        statement = body[index]
        line = first_lines[index] - len(statement.leading_lines)
        decorators = getattr(statement, "decorators", ())
        if decorators:
            line -= len(decorators[0].leading_lines)
        if not 0 < line <= len(starts):
            return None
        state = _CheckedPositionState(
            default_indent=module.default_indent,
            default_newline=module.default_newline,
            targets=set(wanted),
            wanted=frozenset(wanted),
            left=len(wanted),
            line=line,
            offset=starts[line - 1],
        )
        try:
            statement._codegen(state)
        except _AllFound:
            pass  # the rest of the statement cannot move a position already found
        start = starts[line - 1]
        if not code.startswith("".join(state.tokens), start):
            return None  # not where the `ast` lines put it
        found.update(state.found)
    return found


def _homes(body, targets: set[int]) -> dict[int, set[int]] | None:
    """The ids of `targets` each top-level statement holds (by its fields, as the rules' walk
    goes); None when some target is in none of them."""
    from celery_fix.syntax.walk import walk

    homes: dict[int, set[int]] = {}
    left = set(targets)
    if not left:
        return homes
    for index, statement in enumerate(body):
        here: set[int] = set()

        def enter(node, here=here) -> bool:
            if id(node) in left:
                here.add(id(node))
            return True

        walk(statement, enter)
        if here:
            homes[index] = here
            left -= here
            if not left:
                return homes
    return None


@add_slots
@dataclass(frozen=False)
class _CheckedPositionState(_TargetedPositionState):
    """Keeps the generated tokens, to check them against the module's code."""

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self._advance(token)
            self.tokens.append(token)

    def add_token(self, value: str) -> None:
        self._advance(value)
        self.tokens.append(value)


def code_in_place(module: cst.Module, node: cst.CSTNode, indent_tokens: tuple[str, ...]) -> str:
    """The code `node` generates where a node with these indent tokens stood in `module`."""
    state = CodegenState(
        default_indent=module.default_indent, default_newline=module.default_newline, indent_tokens=list(indent_tokens)
    )
    node._codegen(state)
    return "".join(state.tokens)
