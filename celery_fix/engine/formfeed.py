"""Form feeds at the start of a line of code, which CPython accepts (a form feed resets the
indentation count) and libcst does not: before an indented line its tokenizer fails ("no matching
outer block for dedent"), before a statement it parses but drops the form feed from the code it
generates (so positions after it are off by one).

The engine parses a copy where each such line's `A <FF> B` indentation (B the indentation CPython
counts) is just `B`: the same lines and the same meaning to CPython. Fixes are carried back to
the file as text edits by line and column (fixing.mirrored), the removed characters being at the
start of their line; a fix that cannot be carried back so is not made (checker._check_parsed)."""

from __future__ import annotations

import re

_INDENT_WITH_FF = re.compile(rb"(?m)^[ \t\x0c]*\x0c(?=[ \t]*[^\s])")


def without_indent_form_feeds(source: bytes) -> bytes | None:
    """The libcst-friendly copy of `source`, or None when it has no form feed in an indentation."""
    if b"\x0c" not in source:
        return None
    cleaned = _INDENT_WITH_FF.sub(b"", source)
    return cleaned if cleaned != source else None
