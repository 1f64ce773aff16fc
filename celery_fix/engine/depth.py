"""The guard in front of every libcst parse: libcst's native parser overflows its stack on deeply
nested code and dies with a segmentation fault, taking the process (or a pool worker) with it."""

from __future__ import annotations

import ast

from celery_fix.engine.files import FileError

_OPERATORS = (b"+", b"-", b"*", b"/", b"|", b"&", b"%", b" and ", b" or ", b",")
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
    except (RecursionError, MemoryError, SyntaxError, ValueError) as exc:
        reason = exc.msg if isinstance(exc, SyntaxError) else type(exc).__name__
        raise FileError(f"{path}: too deeply nested to analyse safely ({reason}); skipped") from None
