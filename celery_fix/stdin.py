"""`celery-fix -`: one module read from standard input, as editors call a linter.

The module stands in for the file `--stdin-filename` names (which may not exist yet): it is checked
under that name, and the project index around it reads it instead of the file on disk. Without
a name it is `stdin.py` in the current directory, checked on its own (no project is indexed).
"""

from __future__ import annotations

import io
import sys
import tokenize
from pathlib import Path

from celery_fix.engine.files import FileError, refuse_unsupported
from celery_fix.engine.syntax_error import python_syntax_error

DEFAULT_NAME = "stdin.py"
MARKER = Path("-")


def wants_stdin(paths: tuple[Path, ...] | list[Path], stdin_filename: Path | None) -> bool:
    """`-` among the paths, or `--stdin-filename` with no paths (as ruff)."""
    return MARKER in paths or (stdin_filename is not None and not paths)


def read_stdin() -> bytes:
    stream = getattr(sys.stdin, "buffer", None)
    return stream.read() if stream is not None else sys.stdin.read().encode("utf-8")


def problem(name: str, source: bytes) -> str | None:
    """Why `source` cannot be checked, in one line: bytes Python refuses, an encoding it cannot
    decode, a syntax error. None when it is a module Python would compile."""
    try:
        refuse_unsupported(name, source)
    except FileError as exc:
        return str(exc)
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
        source.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as exc:
        return f"{name}: cannot decode: {exc}"
    return python_syntax_error(name, source)
