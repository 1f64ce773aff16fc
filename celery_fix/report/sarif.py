"""`--format sarif`: SARIF 2.1.0, for GitHub code scanning (`github/codeql-action/upload-sarif`)."""

from __future__ import annotations

import inspect
import json
from typing import Any

from celery_fix import __version__
from celery_fix.report.model import edits, end_location, parts

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning"}


def _rule_entries(codes: list[str]) -> list[dict[str, Any]]:
    from celery_fix.engine.registry import rule_by_code

    entries = []
    for code in codes:
        rule_cls = rule_by_code(code)
        doc = inspect.cleandoc(rule_cls.__doc__ or "") if rule_cls is not None else ""
        summary = doc.split("\n\n", 1)[0].replace("\n", " ") if doc else code
        entries.append({
            "id": code,
            "name": getattr(rule_cls, "NAME", code),
            "shortDescription": {"text": summary},
            "fullDescription": {"text": doc or summary},
            "help": {"text": doc or summary, "markdown": doc or summary},
            "defaultConfiguration": {"level": _LEVEL.get(getattr(rule_cls, "SEVERITY", "warning"), "warning")},
        })
    return entries


def _fixes(report, finding) -> list[dict[str, Any]]:
    if not report.fixable(finding):
        return []
    result = report.result_of(finding.path)
    if result is None:
        return []
    replacements = []
    for edit in edits(result):
        if edit["start_line"] <= finding.line <= max(edit["end_line"], edit["start_line"]):
            replacements.append({
                "deletedRegion": {"startLine": edit["start_line"], "startColumn": 1,
                                  "endLine": edit["end_line"], "endColumn": 1},
                "insertedContent": {"text": edit["content"]},
            })
    if not replacements:
        return []
    return [{
        "description": {"text": report.fix_titles.get(finding.code) or "apply the fix"},
        "artifactChanges": [{"artifactLocation": {"uri": finding.path}, "replacements": replacements}],
    }]


def document(report) -> dict[str, Any]:
    codes = sorted({f.code for f in report.findings})
    index = {code: i for i, code in enumerate(codes)}
    results = []
    for f in report.findings:
        short, help_text, _ = parts(f)
        end = end_location(f)
        entry = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": _LEVEL.get(f.severity, "warning"),
            "message": {"text": short + (f" (help: {help_text})" if help_text else "")},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": f.path},
                "region": {"startLine": f.line, "startColumn": f.column,
                           "endLine": end["line"], "endColumn": end["column"]},
            }}],
        }
        fixes = _fixes(report, f)
        if fixes:
            entry["fixes"] = fixes
        results.append(entry)
    notifications = [{"level": "error", "message": {"text": e}} for e in report.errors]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "celery-fix", "version": __version__,
                "rules": _rule_entries(codes),
            }},
            "results": results,
            "invocations": [{"executionSuccessful": not report.errors, "toolExecutionNotifications": notifications}],
        }],
    }


def render(report) -> str:
    return json.dumps(document(report), indent=2) + "\n"
