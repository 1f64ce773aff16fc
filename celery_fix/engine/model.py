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
