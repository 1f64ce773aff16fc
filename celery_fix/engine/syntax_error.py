"""A syntax error as Python's own parser states it: one line, its line and column, its words.

libcst's parser reports where its grammar gave up (often a line later, with a token dump); the
compiler names the line and column a user's editor and `python` show.
"""

from __future__ import annotations

PYTHON_SUFFIXES = (".py", ".pyi")


def python_syntax_error(path: str, source: bytes) -> str | None:
    """`path:line:col: syntax error: message`, or None when the compiler accepts the source."""
    try:
        compile(source, path, "exec", flags=0x400, dont_inherit=True)  # ast.PyCF_ONLY_AST
    except SyntaxError as exc:
        return syntax_error_line(path, exc)
    except (ValueError, MemoryError, RecursionError):
        return None
    return None


def syntax_error_line(path: str, exc: SyntaxError) -> str:
    line = exc.lineno or 1
    column = exc.offset or 1
    message = " ".join((exc.msg or "invalid syntax").split())
    # a file named on the command line is checked whatever its name (as ruff does): say so when
    # its name suggests it is no Python at all (`celery-fix uv.lock`)
    hint = "" if path.endswith(PYTHON_SUFFIXES) or path.startswith("<") else " (not a .py file: checked as Python because it was named)"
    return f"{path}:{line}:{column}: syntax error: {message}{hint}"
