"""Unified diffs of pending fixes (standard library difflib)."""

from __future__ import annotations

import difflib
import re

CONTEXT = 3
_HUNK = re.compile(r"^@@ -(\d+)((?:,\d+)?) \+(\d+)((?:,\d+)?) @@", re.MULTILINE)


def unified_diff(path: str, before: bytes, after: bytes, encoding: str) -> str:
    old = _lines(before, encoding)
    new = _lines(after, encoding)
    # difflib compares every line, a fix changes a few: diff only the span between the common
    # head and tail (less the context lines), then move the hunk numbers down by the head
    head = 0
    while head < len(old) and head < len(new) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < len(old) - head and tail < len(new) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    skip = max(head - CONTEXT, 0)
    cut = max(tail - CONTEXT, 0)
    text = "".join(_marked(difflib.unified_diff(
        old[skip : len(old) - cut], new[skip : len(new) - cut], fromfile=f"a/{path}", tofile=f"b/{path}", n=CONTEXT
    )))
    if not skip:
        return text
    return _HUNK.sub(lambda m: f"@@ -{int(m[1]) + skip}{m[2]} +{int(m[3]) + skip}{m[4]} @@", text)


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+\Z")


def _lines(data: bytes, encoding: str) -> list[str]:
    # each line with its own ending, as `git apply` compares them (CRLF stays CRLF); split at line
    # breaks only (str.splitlines would split at form feeds and other separators too)
    return _LINE.findall(data.decode(encoding, errors="replace"))


def _marked(lines):
    """The diff's lines, each ending in a newline: a last line without one gets git's marker."""
    for line in lines:
        if line.endswith("\n"):
            yield line
        else:
            yield line + "\n\\ No newline at end of file\n"
