"""The default, human-readable output: one line per finding, then a summary line."""

from __future__ import annotations

from celery_fix.engine.model import Finding
from celery_fix.report.color import paint


def finding_line(finding: Finding, unsafe_fixes: bool) -> str:
    marker = " [*]" if finding.fix == "safe" or (finding.fix == "unsafe" and unsafe_fixes) else ""
    return f"{finding.path}:{finding.line}:{finding.column}: {finding.code}{marker} {finding.message}"


def finding_block(finding: Finding, report) -> str:
    """`path:line:col: CODE [*] message`, then `help:`, a note on the fix, and the source with
    --show-source (ruff's full format)."""
    from celery_fix.report.model import excerpt, parts

    on = report.color
    short, help_text, note = parts(finding)
    marker = " " + paint("[*]", "cyan", on=on) if report.fixable(finding) else ""
    location = paint(f"{finding.path}:{finding.line}:{finding.column}:", "bold", on=on)
    lines = [f"{location} {paint(finding.code, 'bold', 'red', on=on)}{marker} {short}"]
    if report.show_source:
        shown = excerpt(report.result_of(finding.path), finding.line)
        width = len(str(shown[-1][0])) if shown else 1
        for number, text in shown:
            lines.append(paint(f"  {number:>{width}} | ", "blue", on=on) + text)
            if number == finding.line:
                lines.append(paint(f"  {'':>{width}} | ", "blue", on=on) + " " * (finding.column - 1) + paint("^", "red", on=on))
    if help_text:
        lines.append(f"  {paint('help:', 'bold', 'cyan', on=on)} {help_text}")
    if finding.fix == "unsafe" and not report.unsafe_fixes:
        lines.append(f"  {paint('note:', 'bold', on=on)} an unsafe fix is available with --unsafe-fixes" + (f": {_without_prefix(note)}" if note else ""))
    elif note:
        lines.append(f"  {paint('note:', 'bold', on=on)} {note}")
    return "\n".join(lines)


def _without_prefix(note: str) -> str:
    return note.split(":", 1)[1].strip() if note.lower().startswith("unsafe fix:") else note


def render(report) -> str:
    return "".join(finding_block(f, report) + "\n" for f in report.findings)


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def dry_run_summary(files: int, findings: list[Finding], unsafe_fixes: bool, errors: int) -> str:
    fixable = sum(1 for f in findings if f.fix == "safe" or (f.fix == "unsafe" and unsafe_fixes))
    hidden = 0 if unsafe_fixes else sum(1 for f in findings if f.fix == "unsafe")
    parts = [f"{plural(files, 'file')} checked", plural(len(findings), "finding"), f"{fixable} fixable"]
    if hidden:
        parts.append(f"{hidden} more with --unsafe-fixes")
    if errors:
        parts.append(plural(errors, "error"))
    return ", ".join(parts)


def apply_summary(files: int, fixed: int, changed_files: int, remaining: int, errors: int) -> str:
    parts = [
        f"{plural(files, 'file')} checked",
        f"{plural(fixed, 'fix')} applied in {plural(changed_files, 'file')}".replace("fixs", "fixes"),
        f"{plural(remaining, 'finding')} remaining",
    ]
    if errors:
        parts.append(plural(errors, "error"))
    return ", ".join(parts)
