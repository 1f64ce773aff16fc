"""Loads snapshot cases: snapshots/<CODE>-<name>/<case>.py (input), <case>.fixed.py (expected
output; absent = the fix must change nothing) and <case>.findings (expected findings)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from celery_fix.engine import EngineSettings, FileResult, check_one

SNAPSHOTS = Path(__file__).resolve().parent.parent / "snapshots"
UPDATE = os.environ.get("CELERY_FIX_UPDATE_SNAPSHOTS") == "1"


@dataclass(frozen=True)
class Case:
    code: str
    input: Path

    @property
    def id(self) -> str:
        return f"{self.input.parent.name}/{self.input.stem}"

    @property
    def fixed_path(self) -> Path:
        return self.input.with_name(self.input.stem + ".fixed.py")

    @property
    def findings_path(self) -> Path:
        return self.input.with_name(self.input.stem + ".findings")


def all_cases() -> list[Case]:
    cases = []
    for directory in sorted(p for p in SNAPSHOTS.iterdir() if p.is_dir()):
        code = directory.name.split("-", 1)[0]
        for path in sorted(directory.glob("*.py")):
            if not path.name.endswith(".fixed.py"):
                cases.append(Case(code, path))
    return cases


def settings_for(code: str, prefilter: bool = True) -> EngineSettings:
    # unsafe fixes on: snapshots show every fix; the findings text says which are unsafe
    return EngineSettings(codes=(code,), rule_options={}, unsafe_fixes=True, prefilter=prefilter)


def run(case: Case, source: bytes | None = None, prefilter: bool = True) -> FileResult:
    data = case.input.read_bytes() if source is None else source
    return check_one(str(case.input), data, settings_for(case.code, prefilter))


def findings_text(result: FileResult) -> str:
    return "".join(
        f"{f.line}:{f.column}: {f.code} [{f.fix or 'no fix'}] {f.message}\n" for f in result.findings
    )
