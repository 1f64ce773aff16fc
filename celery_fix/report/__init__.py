"""Output formats for findings, diffs and summaries: one module per `--format`, each with a
`render(report: model.RunReport) -> str`."""

from __future__ import annotations

import importlib

FORMATS = {
    "text": "text", "concise": "concise", "json": "json_format", "json-lines": "json_lines", "sarif": "sarif",
    "github": "github", "gitlab": "gitlab", "junit": "junit", "review": "review",
}


def render(name: str, report) -> str:
    return importlib.import_module(f"celery_fix.report.{FORMATS[name]}").render(report)
