"""`--format concise`: one line per finding, `path:line:col: CODE [*] short message`."""

from __future__ import annotations

from celery_fix.report.model import parts


def render(report) -> str:
    lines = []
    for f in report.findings:
        marker = " [*]" if report.fixable(f) else ""
        lines.append(f"{f.path}:{f.line}:{f.column}: {f.code}{marker} {parts(f)[0]}\n")
    return "".join(lines)
