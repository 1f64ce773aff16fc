"""`--format json`: one JSON document per run. The schema is documented in docs/output.md and
versioned by `version`; fields are only added within a version."""

from __future__ import annotations

import json
from typing import Any

from celery_fix.engine.model import Finding
from celery_fix.report.model import (
    SCHEMA_VERSION,
    anchor,
    edits,
    end_location,
    file_diff,
    parts,
)


def finding_dict(f: Finding, report) -> dict[str, Any]:
    short, help_text, note = parts(f)
    fix = None
    if f.fix is not None:
        fix = {
            "applicability": f.fix,
            "available": report.fixable(f),  # applied by --apply under this run's --unsafe-fixes
            "title": report.fix_titles.get(f.code),
            "note": note,
        }
    return {
        "code": f.code,
        "name": f.name,
        "message": short,
        "help": help_text,
        "note": note,  # on the fix: why it is unsafe, or why there is none here (also in fix.note)
        "full_message": f.full_message,
        "severity": f.severity,
        "url": anchor(f),
        "filename": f.path,
        "location": {"line": f.line, "column": f.column},
        "end_location": end_location(f),
        "fix": fix,
    }


def document(report) -> dict[str, Any]:
    files = []
    for result in report.changed():
        files.append({"filename": result.path, "diff": file_diff(result), "edits": edits(result)})
    return {
        "version": SCHEMA_VERSION,
        "tool": "celery-fix",
        "mode": "apply" if report.applied else "check",
        "findings": [finding_dict(f, report) for f in report.findings],
        "fixed": [finding_dict(f, report) for f in report.fixed],
        "fixes": files,  # check: the pending fixes; apply: the fixes written
        "errors": list(report.errors),
        "summary": {
            "files": len(report.results),
            "findings": len(report.findings),
            "fixable": sum(1 for f in report.findings if report.fixable(f)),
            "fixed": len(report.fixed),
            "errors": len(report.errors),
        },
    }


def render(report) -> str:
    return json.dumps(document(report), indent=2) + "\n"


def findings_json(findings: list[Finding], errors: list[str]) -> str:
    """The pre-version-1 shape (kept for callers of this function)."""
    from dataclasses import asdict

    return json.dumps({"findings": [asdict(f) for f in findings], "errors": errors}, indent=2)
