"""The guard in front of every libcst parse: libcst's native parser overflows its stack on deeply
nested code and dies with a segmentation fault, taking the process (or a pool worker) with it."""

from __future__ import annotations

import ast

from celery_fix.engine.files import FileError
from celery_fix.engine.syntax_error import syntax_error_line

_OPERATORS = (b"+", b"-", b"*", b"/", b"|", b"&", b"%", b" and ", b" or ", b",")
# CPython's words for a file past its own nesting limits (3.10-3.13); any other SyntaxError is one
_TOO_DEEP = ("too many nested", "too complex", "too many statically nested")
_NOT_BRACKETS = bytes(set(range(256)) - set(b"()[]{}"))


def pathological(source: bytes) -> bool:
    """Cheap signs of a file deep enough to overflow libcst's native parser: long operator chains,
    deep brackets."""
    if any(source.count(op) > 2500 for op in _OPERATORS):
        return True
    depth = deepest = 0
    for char in source.translate(None, _NOT_BRACKETS):
        depth = depth + 1 if char in b"([{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest > 100


def refuse_if_too_deep(path: str, source: bytes) -> None:
    """CPython's own parser fails cleanly where libcst's would crash: ask it first when in doubt."""
    if not pathological(source):
        return
    try:
        ast.parse(source)
    except SyntaxError as exc:
        if not any(words in (exc.msg or "") for words in _TOO_DEEP):
            # an ordinary syntax error (many commas, brackets: a lock file named on the command line)
            raise FileError(syntax_error_line(path, exc)) from None
        raise FileError(f"{path}: too deeply nested to analyse safely ({exc.msg}); skipped") from None
    except (RecursionError, MemoryError, ValueError) as exc:
        raise FileError(f"{path}: too deeply nested to analyse safely ({type(exc).__name__}); skipped") from None
