"""`--format github`: GitHub Actions workflow commands, shown as annotations on the pull request."""

from __future__ import annotations

from celery_fix.report.model import end_location, parts


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report) -> str:
    lines = []
    for f in report.findings:
        short, help_text, _ = parts(f)
        end = end_location(f)
        level = "error" if f.severity == "error" else "warning"
        body = f"{f.code} {short}" + (f" (help: {help_text})" if help_text else "")
        lines.append(
            f"::{level} file={_escape_property(f.path)},line={f.line},col={f.column},"
            f"endLine={end['line']},endColumn={end['column']},"
            f"title={_escape_property(f'{f.code} {f.name}')}::{_escape_data(body)}"
        )
    lines += [f"::error title=celery-fix::{_escape_data(e)}" for e in report.errors]
    return "".join(line + "\n" for line in lines)
