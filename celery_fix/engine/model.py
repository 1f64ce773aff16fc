"""What a run produces and is set up with: plain data, light to import (results come back from
the cache and from worker processes as these)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from celery_fix.engine.style import CodeStyle


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    column: int  # 1-based, as editors and ruff show it
    code: str
    name: str
    message: str
    severity: str
    fix: str | None  # "safe", "unsafe" or None (report only)
    help: str | None = None  # how to fix it
    note: str | None = None  # on the fix: why it is unsafe, or why there is none here
    # where the reported node ends (line 1-based, column 1-based and exclusive, as LSP/SARIF count)
    end_line: int = 0
    end_column: int = 0

    @property
    def full_message(self) -> str:
        return "; ".join(part for part in (self.message, self.help, self.note) if part)


@dataclass
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    # findings left in the fixed code (after the fixes the run's policy allows)
    remaining: list[Finding] = field(default_factory=list)
    original: bytes = b""
    fixed: bytes | None = None  # None: no fix applies
    encoding: str = "utf-8"
    error: str | None = None
    internal_error: bool = False
    parsed: bool = False


@dataclass(frozen=True)
class EngineSettings:
    codes: tuple[str, ...]
    rule_options: dict[str, Any]
    unsafe_fixes: bool = False
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    root: str = "."
    prefilter: bool = True
    index: Any = None
    # digest of the index facts results depend on: part of every cache key
    index_digest: str = ""
    project_apps: frozenset[str] = frozenset()
    # parse and check again after every fix pass, even when all fixes landed as text (tests)
    full_fix_loop: bool = False
    # the project's line length and import sections, which fixed code follows (project_style.py)
    style: CodeStyle = CodeStyle()
