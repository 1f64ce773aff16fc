"""Unified diffs of pending fixes (standard library difflib)."""

from __future__ import annotations

import difflib


def unified_diff(path: str, before: bytes, after: bytes, encoding: str) -> str:
    old = _lines(before, encoding)
    new = _lines(after, encoding)
    return "".join(difflib.unified_diff(old, new, fromfile=f"a/{path}", tofile=f"b/{path}"))


def _lines(data: bytes, encoding: str) -> list[str]:
    text = data.decode(encoding, errors="replace")
    # show CRLF files with plain newlines; the bytes written keep their own line endings
    lines = [line.rstrip("\r\n") + "\n" for line in text.splitlines(keepends=True)]
    return lines
