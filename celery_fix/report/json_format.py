"""`--format json`: findings as a JSON list, for tools and editors."""

from __future__ import annotations

import json
from dataclasses import asdict

from celery_fix.engine.model import Finding


def findings_json(findings: list[Finding], errors: list[str]) -> str:
    return json.dumps({"findings": [asdict(f) for f in findings], "errors": errors}, indent=2)
