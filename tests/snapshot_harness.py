"""Loads snapshot cases: snapshots/<CODE>-<name>/<case>.py (input), <case>.fixed.py (expected
output; absent = the fix must change nothing), <case>.findings (expected findings: start-end position, code, fix, message, then help/note lines) and, optionally,
<case>.toml: rule options for this case, written as in [tool.celery-fix] (`on-commit-style = "lambda"`),
and in its [snapshot.style] table the project style (`line-length`, `first-party`, `force-single-line`),
<case>.index: run the case with a ProjectIndex built over the case file alone (the file's text is
a comment saying why); without it, cases run without an index, as under plain Fixit."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from celery_fix.engine.checker import EngineSettings, FileResult, check_one
from celery_fix.engine.style import CodeStyle

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

    @property
    def options(self) -> dict:
        path = self.input.with_suffix(".toml")
        if not path.exists():
            return {}
        if sys.version_info >= (3, 11):
            import tomllib
        else:  # pragma: no cover
            import tomli as tomllib
        options = tomllib.loads(path.read_text(encoding="utf-8"))
        options.pop("snapshot", None)
        return options

    @property
    def harness(self) -> dict:
        path = self.input.with_suffix(".toml")
        if not path.exists():
            return {}
        if sys.version_info >= (3, 11):
            import tomllib
        else:  # pragma: no cover
            import tomli as tomllib
        return tomllib.loads(path.read_text(encoding="utf-8")).get("snapshot", {})

    @property
    def with_index(self) -> bool:
        return self.input.with_suffix(".index").exists()


def all_cases() -> list[Case]:
    cases = []
    for directory in sorted(p for p in SNAPSHOTS.iterdir() if p.is_dir()):
        code = directory.name.split("-", 1)[0]
        for path in sorted(directory.glob("*.py")):
            if not path.name.endswith(".fixed.py"):
                cases.append(Case(code, path))
    return cases


def settings_for(code: str, prefilter: bool = True, options: dict | None = None, index=None,
                 root: str = ".", style: CodeStyle = CodeStyle()) -> EngineSettings:
    # unsafe fixes on: snapshots show every fix; the findings text says which are unsafe
    return EngineSettings(codes=(code,), rule_options=dict(options or {}), unsafe_fixes=True, prefilter=prefilter,
                          index=index, root=root, style=style,
                          project_apps=frozenset(index.apps) if index is not None else frozenset())


def case_style(case: Case) -> CodeStyle:
    """`[snapshot.style]` in the case's .toml: the project style the fix follows (line-length,
    first-party, force-single-line), as project_style.py would read it from the project."""
    table = case.harness.get("style", {})
    return CodeStyle(
        line_length=table.get("line-length", 88),
        first_party=frozenset(table.get("first-party", ())),
        force_single_line=table.get("force-single-line", False),
    )


def case_index(case: Case):
    """The ProjectIndex of a `<case>.index` case: built over the case file alone."""
    if not case.with_index:
        return None
    from celery_fix.index.build import build_index

    return build_index([case.input], case.input.parent)


def run(case: Case, source: bytes | None = None, prefilter: bool = True) -> FileResult:
    data = case.input.read_bytes() if source is None else source
    index = case_index(case)
    root = str(case.input.parent) if index is not None else "."
    return check_one(str(case.input), data, settings_for(case.code, prefilter, case.options, index, root, case_style(case)))


def findings_text(result: FileResult) -> str:
    """Each finding on a line (position, code, fix safety, message), then its help and note indented."""
    out = []
    for f in result.findings:
        out.append(f"{f.line}:{f.column}-{f.end_line}:{f.end_column}: {f.code} [{f.fix or 'no fix'}] {f.message}\n")
        out += [f"    {label}: {text}\n" for label, text in (("help", f.help), ("note", f.note)) if text]
    return "".join(out)
