"""What every output format is given: the findings of one run, the files, fixes and errors.

Formats are one module each in this package and read only this; `render()` in `__init__` picks one.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from celery_fix.engine.model import FileResult, Finding
from celery_fix.report.diff import unified_diff

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
    return finding.message, finding.help, finding.note


def end_location(finding: Finding) -> dict[str, int]:
    """Where the reported node ends (column exclusive); the start for a finding without an end
    (one read from an older cache entry has none: entries of another shape are misses)."""
    if finding.end_line < finding.line:
        return {"line": finding.line, "column": finding.column}
    return {"line": finding.end_line, "column": finding.end_column}


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


def finding_diff(result: FileResult | None, finding: Finding, context: int = 1) -> str:
    """The part of the file's diff that is this finding's fix: the hunks (with `context` lines)
    whose changes touch the finding's lines of the original file, not the whole file's diff."""
    if result is None or result.fixed is None or result.fixed == result.original:
        return ""
    old = result.original.decode(result.encoding, errors="replace").splitlines(keepends=True)
    new = result.fixed.decode(result.encoding, errors="replace").splitlines(keepends=True)
    first, last = finding.line, max(finding.end_line, finding.line)
    hunks = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        # a change touches the finding when it replaces one of its lines or inserts inside or right after it
        if not any(tag != "equal" and i1 + 1 <= last + (i1 == i2) and max(i2, i1 + 1) >= first
                   for tag, i1, i2, _, _ in group):
            continue
        i_start, j_start = group[0][1], group[0][3]
        i_end, j_end = group[-1][2], group[-1][4]
        lines = [f"@@ -{i_start + 1},{i_end - i_start} +{j_start + 1},{j_end - j_start} @@\n"]
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [" " + line for line in old[i1:i2]]
            else:
                lines += ["-" + line for line in old[i1:i2]]
                lines += ["+" + line for line in new[j1:j2]]
        hunks.append("".join(line if line.endswith("\n") else line + "\n" for line in lines))
    if not hunks:
        return ""
    return f"--- a/{result.path}\n+++ b/{result.path}\n" + "".join(hunks)


def excerpt(result: FileResult | None, line: int, context: int = 2) -> list[tuple[int, str]]:
    """(line number, text) around `line` of the file as it was read."""
    if result is None or not result.original:
        return []
    lines = result.original.decode(result.encoding, errors="replace").splitlines()
    first = max(line - 1 - context, 0)
    return [(n + 1, lines[n]) for n in range(first, min(line + context, len(lines)))]
