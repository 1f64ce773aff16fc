"""Black's layout for one rewritten statement: a fix that makes a line too long, or turns an
exploded call into a wrapped one, comes out as the project's formatter would write it. Only the
statement is formatted, never the rest of the file; string quotes are left as they are.
"""

from __future__ import annotations

import libcst as cst


def black_statement(code: str, width: int, parse_config=None) -> cst.SimpleStatementLine | None:
    """`code` (one statement line, not indented, a trailing comment allowed) formatted by black at
    `width`; None when black is not installed, cannot format it, or it does not stay one statement."""
    try:
        import black
    except ImportError:  # pragma: no cover - black is a dependency
        return None
    try:
        formatted = black.format_str(code, mode=black.Mode(line_length=max(width, 1), string_normalization=False))
        line = cst.parse_statement(formatted, config=parse_config) if parse_config else cst.parse_statement(formatted)
    except Exception:  # black's and libcst's errors: keep the fix as generated
        return None
    if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1 or line.leading_lines:
        return None
    return line


def too_long(text: str, limit: int) -> bool:
    return any(len(line) > limit for line in text.splitlines())


def black_decorator(code: str, width: int) -> cst.Decorator | None:
    """`code` (one decorator line, `@...` and its newline) as black formats it above a function."""
    try:
        import black
    except ImportError:  # pragma: no cover - black is a dependency
        return None
    try:
        formatted = black.format_str(code + "def _():\n    pass\n", mode=black.Mode(line_length=max(width, 1), string_normalization=False))
        function = cst.parse_module(formatted).body[0]
    except Exception:  # black's and libcst's errors: keep the fix as generated
        return None
    if not isinstance(function, cst.FunctionDef) or len(function.decorators) != 1:
        return None
    return function.decorators[0]
