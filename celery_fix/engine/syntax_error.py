"""A syntax error as Python's own parser states it: one line, its line and column, its words.

libcst's parser reports where its grammar gave up (often a line later, with a token dump); the
compiler names the line and column a user's editor and `python` show.
"""

from __future__ import annotations


def python_syntax_error(path: str, source: bytes) -> str | None:
    """`path:line:col: syntax error: message`, or None when the compiler accepts the source."""
    try:
        compile(source, path, "exec", flags=0x400, dont_inherit=True)  # ast.PyCF_ONLY_AST
    except SyntaxError as exc:
        line = exc.lineno or 1
        column = exc.offset or 1
        message = " ".join((exc.msg or "invalid syntax").split())
        return f"{path}:{line}:{column}: syntax error: {message}"
    except (ValueError, MemoryError, RecursionError):
        return None
    return None
