"""Output that cannot fail on a character: with PYTHONIOENCODING=latin-1 (or an ASCII locale) a
non-ASCII file name or diff line is printed escaped rather than ending the run with a traceback."""

from __future__ import annotations

import io
import sys


def tolerant_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # a closed or detached stream: nothing to print to anyway
                pass
