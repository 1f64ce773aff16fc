"""`--format gitlab`: GitLab Code Quality report (a JSON list of CodeClimate-style issues)."""

from __future__ import annotations

import hashlib
import json

from celery_fix.report.model import end_location, parts

_SEVERITY = {"error": "major", "warning": "minor"}


def render(report) -> str:
    issues, seen = [], {}
    for f in report.findings:
        short, help_text, _ = parts(f)
        # stable across runs when lines move: code, file, message and its occurrence count
        base = f"{f.code}\0{f.path}\0{f.message}"
        seen[base] = seen.get(base, 0) + 1
        fingerprint = hashlib.sha256(f"{base}\0{seen[base]}".encode()).hexdigest()
        issues.append({
            "description": f"{f.code} {short}" + (f" (help: {help_text})" if help_text else ""),
            "check_name": f.code,
            "fingerprint": fingerprint,
            "severity": _SEVERITY.get(f.severity, "minor"),
            "location": {"path": f.path, "lines": {"begin": f.line, "end": end_location(f)["line"]}},
        })
    return json.dumps(issues, indent=2) + "\n"
