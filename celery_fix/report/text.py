"""The default, human-readable output: one line per finding, then a summary line."""

from __future__ import annotations

from celery_fix.engine.model import Finding


def finding_line(finding: Finding, unsafe_fixes: bool) -> str:
    marker = " [*]" if finding.fix == "safe" or (finding.fix == "unsafe" and unsafe_fixes) else ""
    return f"{finding.path}:{finding.line}:{finding.column}: {finding.code}{marker} {finding.message}"


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
