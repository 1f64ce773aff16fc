"""What every output format is given: the findings of one run, the files, fixes and errors.

Formats are one module each in this package and read only this; `render()` in `__init__` picks one.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from celery_fix.engine.model import FileResult, Finding
from celery_fix.report.diff import unified_diff
from celery_fix.report.message import split_message

SCHEMA_VERSION = 1
DOCS = "docs/rules.md"


@dataclass
class RunReport:
    findings: list[Finding]  # what is reported: all findings, or on --apply those left after the fixes
    results: list[FileResult]
    errors: list[str] = field(default_factory=list)
    applied: bool = False  # --apply: the fixes were written
    fixed: list[Finding] = field(default_factory=list)  # --apply: the findings whose fix was written
    unsafe_fixes: bool = False
    show_source: bool = False
    color: bool = False
    index: Any = None
    fix_titles: dict[str, str] = field(default_factory=dict)  # rule code -> what its fix does

    def fixable(self, finding: Finding) -> bool:
        return finding.fix == "safe" or (finding.fix == "unsafe" and self.unsafe_fixes)

    def result_of(self, path: str) -> FileResult | None:
        for result in self.results:
            if result.path == path:
                return result
        return None

    def changed(self) -> list[FileResult]:
        return [r for r in self.results if r.fixed is not None and r.fixed != r.original]


def anchor(finding_or_code) -> str:
    code = finding_or_code if isinstance(finding_or_code, str) else finding_or_code.code
    return f"{DOCS}#{code.lower()}"


def parts(finding: Finding) -> tuple[str, str | None, str | None]:
    """The finding's short message, its `help:` (how to fix) and a note (fix safety)."""
    return split_message(finding.message)


def file_diff(result: FileResult) -> str:
    if result.fixed is None or result.fixed == result.original:
        return ""
    return unified_diff(result.path, result.original, result.fixed, result.encoding)


def edits(result: FileResult) -> list[dict[str, Any]]:
    """The fix as line edits on the original file: replace lines [start, end) (1-based, end
    exclusive; start == end inserts before start) with `content`."""
    if result.fixed is None or result.fixed == result.original:
        return []
    old = result.original.decode(result.encoding, errors="replace").splitlines(keepends=True)
    new = result.fixed.decode(result.encoding, errors="replace").splitlines(keepends=True)
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag != "equal":
            out.append({"start_line": i1 + 1, "end_line": i2 + 1, "content": "".join(new[j1:j2])})
    return out


def hunks_for(result: FileResult | None, line: int) -> str:
    """The hunks of the file's diff that touch `line` (of the original file)."""
    if result is None:
        return ""
    text = file_diff(result)
    if not text:
        return ""
    header, _, body = text.partition("@@")
    chunks = ["@@" + c for c in body.split("\n@@") if c]
    picked = []
    for chunk in chunks:
        chunk = chunk if chunk.startswith("@@") else "@@" + chunk
        try:
            old = chunk.split()[1]  # -start,count
            start, _, count = old[1:].partition(",")
            first, length = int(start), int(count or 1)
        except (IndexError, ValueError):
            continue
        if first - 3 <= line < first + max(length, 1) + 3:  # the change, or its context, at the line
            picked.append(chunk.rstrip("\n") + "\n")
    return header + "".join(picked) if picked else ""


def excerpt(result: FileResult | None, line: int, context: int = 2) -> list[tuple[int, str]]:
    """(line number, text) around `line` of the file as it was read."""
    if result is None or not result.original:
        return []
    lines = result.original.decode(result.encoding, errors="replace").splitlines()
    first = max(line - 1 - context, 0)
    return [(n + 1, lines[n]) for n in range(first, min(line + context, len(lines)))]
