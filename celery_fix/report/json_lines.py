"""`--format json-lines`: one JSON object per finding per line (the `json` format's finding objects),
then one `{"type": "error", ...}` line per error; streams well into `jq` and log shippers."""

from __future__ import annotations

import json

from celery_fix.report.json_format import finding_dict


def render(report) -> str:
    lines = [json.dumps({"type": "finding", **finding_dict(f, report)}) for f in report.findings]
    lines += [json.dumps({"type": "error", "message": e}) for e in report.errors]
    return "".join(line + "\n" for line in lines)
