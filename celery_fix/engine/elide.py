"""The part of a module the rules can need, with the rest blanked out, so libcst parses less.

libcst builds a Python object for every token: parsing is most of a check's time, and most of a
module with a dispatch in it is code no rule looks at (helpers, serializers, other views). A
top-level `def`/`class` is blanked out (its lines emptied, so every line and column stays where
it was) when
- it has no decorator (a task, a receiver, `@atomic`, a beat hook keep theirs),
- its text holds none of the run's words (the rules' trigger words, `atomic`, `connect`, ...),
- no kept code names it, and it names no kept `def`/`class` (a view calling a helper that
  waits on a result; a `connect(handler)`), followed until nothing changes,
- it is not the statement a fix's new imports go before.
The same holds one level down, for the methods of a kept top-level class: a view class with one
method that dispatches keeps that method (and the methods it names, and those naming it), its class
attributes and a method of the names rules read on a task or model class (`run`, `save`, ...);
its other methods are blanked out. A class keeps at least one statement.
Everything else (imports, assignments, `if` blocks, module docstring, comments) is kept as is.
The stdlib `ast` finds the statements (about eight times faster than libcst's parse); a module
it cannot parse is not reduced.
"""

from __future__ import annotations

import ast
import re

MIN_SIZE = 4096  # below this the ast parse costs more than the blanking saves
MIN_DEFS = 4  # top-level definitions and methods (a module of two small functions keeps them)
_TOP_LEVEL_DEFS = (b"\ndef ", b"\nclass ", b"\nasync def ", b"\n    def ", b"\n    async def ")
_IDENTIFIER = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


# what a top-level definition must mention for a rule to need it, besides the rules' words: an
# atomic block, a signal hookup (`post_save.connect(handler)` in a method)
CONTEXT_WORDS = (b"atomic", b"connect", b"receiver")

Plan = tuple[tuple[int, int], ...]  # line ranges to blank out, 1-based and inclusive


def reduce_module(source: bytes, keep_words: tuple[bytes, ...]) -> bytes | None:
    """`source` with the top-level definitions no rule can need blanked out; None when nothing
    is blanked out (or the module is small, or `ast` cannot parse it)."""
    if not worth_reducing(source):
        return None
    try:
        body = ast.parse(source).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return apply_plan(source, blank_plan(body, source, keep_words))


def worth_reducing(source: bytes) -> bool:
    if len(source) < MIN_SIZE or b"\r" in source.replace(b"\r\n", b""):
        return False  # a lone `\r` ends a line for the tokenizer but not for the line split here
    # a module of a few definitions: nothing to gain
    return sum(source.count(start) for start in _TOP_LEVEL_DEFS) >= MIN_DEFS


def blank_plan(body: list[ast.stmt], source: bytes, keep_words: tuple[bytes, ...]) -> Plan:
    """The lines of the top-level statements of `body` (the module's `ast`) no rule can need."""
    lines = source.split(b"\n")
    texts = [b"\n".join(lines[s.lineno - 1 : s.end_lineno]) for s in body]
    keep = [_needed(statement, text, keep_words) for statement, text in zip(body, texts)]
    _keep_import_anchor(body, keep)
    _follow_names(body, texts, keep)
    plan = [(s.lineno, s.end_lineno) for s, kept in zip(body, keep) if not kept]
    for statement, kept in zip(body, keep):
        if kept and isinstance(statement, ast.ClassDef):
            plan += _method_plan(statement, lines, keep_words)
    return tuple(sorted(plan))


# methods rules read whatever words they hold: a class task's body, a model's save()/delete()
_ALWAYS_KEPT_METHODS = frozenset({
    "run", "__call__", "__init__", "save", "delete", "apply_async", "delay", "on_failure", "on_retry",
    "on_success", "after_return", "retry",
})


def _method_plan(cls: ast.ClassDef, lines: list[bytes], keep_words: tuple[bytes, ...]) -> list[tuple[int, int]]:
    body = cls.body
    if len(body) < 2:
        return []
    texts = [b"\n".join(lines[s.lineno - 1 : s.end_lineno]) for s in body]
    keep = [
        not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) or bool(s.decorator_list) or s.name in _ALWAYS_KEPT_METHODS
        or any(word in text for word in keep_words)
        for s, text in zip(body, texts)
    ]
    _follow_names(body, texts, keep)
    if not any(keep):
        keep[0] = True  # a class body cannot be empty
    plan = []
    for index, (statement, kept) in enumerate(zip(body, keep)):
        before = body[index - 1].end_lineno if index else cls.lineno
        after = body[index + 1].lineno if index + 1 < len(body) else None
        # only a method on lines of its own (`class A: def f(self): ...` shares the class's line)
        if not kept and statement.lineno > before and (after is None or after > statement.end_lineno):
            plan.append((statement.lineno, statement.end_lineno))
    return plan


def apply_plan(source: bytes, plan: Plan) -> bytes | None:
    """`source` with the planned lines emptied (their line breaks kept); None for an empty plan."""
    if not plan:
        return None
    lines = source.split(b"\n")
    for first, last in plan:
        for number in range(first - 1, last):
            lines[number] = b"\r" if lines[number].endswith(b"\r") else b""
    return b"\n".join(lines)


def _needed(statement: ast.stmt, text: bytes, keep_words: tuple[bytes, ...]) -> bool:
    if not isinstance(statement, _DEFS) or statement.decorator_list:
        return True
    return any(word in text for word in keep_words)


def _keep_import_anchor(body: list[ast.stmt], keep: list[bool]) -> None:
    """Keep the statement a fix's new imports go before (imports._insert_position, on `ast`), so
    that they land where they would in the whole module."""
    position = 1 if body and _is_docstring(body[0]) else 0
    last_import = None
    for index, statement in enumerate(body):
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            last_import = index
        elif index > position and not _is_docstring(statement) and last_import is not None:
            break
    anchor = last_import + 1 if last_import is not None else position
    if anchor < len(body):
        keep[anchor] = True


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, (str, bytes))
    )


def _follow_names(body: list[ast.stmt], texts: list[bytes], keep: list[bool]) -> None:
    names = [s.name.encode() if isinstance(s, _DEFS) else None for s in body]
    used = [set(_IDENTIFIER.findall(text)) for text in texts]
    changed = True
    while changed:
        changed = False
        named_by_kept = set().union(*(used[i] for i, kept in enumerate(keep) if kept))
        kept_defs = {names[i] for i, kept in enumerate(keep) if kept and names[i] is not None}
        for i, kept in enumerate(keep):
            if not kept and (names[i] in named_by_kept or used[i] & kept_defs):
                keep[i] = changed = True
