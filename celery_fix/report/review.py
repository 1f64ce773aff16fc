"""`--format review`: a Markdown review to paste into a pull request, laid out as a senior
reviewer's Celery review: summary, one section per area, a per-task scorecard."""

from __future__ import annotations

from collections import Counter

from celery_fix.report.model import excerpt, finding_diff, parts

# the rule families of RULES.md, by the code's hundreds digit
AREAS = (
    ("1", "Idempotency"), ("2", "Error handling and retries"), ("3", "Task size"), ("4", "Result backend"),
    ("5", "Routing"), ("6", "Serialization"), ("7", "Transactions"), ("8", "Periodic tasks"), ("9", "Observability"),
)
_DISPATCH_AREA = "7"


def area_of(code: str) -> str:
    return code[3:4]


def _tasks(report) -> list:
    index = report.index
    checked = {r.path for r in report.results}
    if index is None:
        return []
    return sorted((t for t in index.tasks if t.path in checked), key=lambda t: (t.path, t.line))


def _owner(finding, report, tasks_by_file: dict) -> object | None:
    """The task a finding is about: the dispatched task (7xx), the scheduled task (8xx), or the
    task whose definition holds the finding's line."""
    index = report.index
    if index is None:
        return None
    if area_of(finding.code) == _DISPATCH_AREA:
        for site in index.dispatches:
            if site.path == finding.path and site.line == finding.line and site.task:
                return index.task_by_qualname(site.task)
    for entry in index.beat_entries:
        if entry.path == finding.path and entry.line == finding.line and entry.task:
            return index.task_by_name(entry.task)
    here = tasks_by_file.get(finding.path, [])
    for i, task in enumerate(here):
        following = here[i + 1].line if i + 1 < len(here) else None
        if task.line <= finding.line and (following is None or finding.line < following):
            return task
    return None


def _applies(task, area: str, report, areas_checked: set[str]) -> bool:
    if area not in areas_checked:
        return False
    index = report.index
    if area == "8":
        return bool(index.beat_entries_for(task))
    if area == "7":
        return any(d.runs for d in index.dispatches_of(task))
    return True


def render(report) -> str:
    findings = report.findings
    tasks = _tasks(report)
    tasks_by_file: dict[str, list] = {}
    for task in tasks:
        tasks_by_file.setdefault(task.path, []).append(task)
    owners = {id(f): _owner(f, report, tasks_by_file) for f in findings}
    areas_checked = set(getattr(report, "areas_checked", None) or {area_of(c) for c in report.fix_titles} or
                        {area_of(f.code) for f in findings})
    severities = Counter(f.severity for f in findings)
    fixable = sum(1 for f in findings if report.fixable(f))

    out = ["# Celery task review", ""]
    out.append("## Summary")
    out.append("")
    out.append(f"- **Tasks reviewed:** {len(tasks)} in {len(report.results)} files")
    by_sev = ", ".join(f"{n} {s}" for s, n in sorted(severities.items())) or "none"
    out.append(f"- **Findings:** {len(findings)} ({by_sev}); {fixable} fixable with `celery-fix --apply`")
    failing = [name for key, name in AREAS if any(area_of(f.code) == key for f in findings)]
    out.append(f"- **Areas that need work:** {', '.join(failing) or 'none'}")
    if report.errors:
        out.append(f"- **Files not reviewed (errors):** {len(report.errors)}")
        out += [f"  - `{e}`" for e in report.errors]
    out.append("")

    for key, name in AREAS:
        here = [f for f in findings if area_of(f.code) == key]
        status = "FAIL" if here else ("PASS" if key in areas_checked else "not checked")
        out.append(f"## {name} — {status}")
        out.append("")
        if not here:
            out.append("No findings." if key in areas_checked else "No rule of this area ran.")
            out.append("")
            continue
        for f in here:
            short, help_text, note = parts(f)
            owner = owners[id(f)]
            about = f" (task `{owner.qualname}`)" if owner is not None else ""
            out.append(f"### FAIL {f.code} `{f.path}:{f.line}`{about}")
            out.append("")
            out.append(short[0].upper() + short[1:] + ".")
            out.append("")
            result = report.result_of(f.path)
            shown = excerpt(result, f.line)
            if shown:
                out.append("```python")
                out += [f"{n:>4} {'>' if n == f.line else ' '} {text}" for n, text in shown]
                out.append("```")
                out.append("")
            if help_text:
                out.append(f"**Suggested fix:** {help_text}.")
            diff = finding_diff(result, f) if f.fix else ""
            if diff and report.fixable(f):
                out.append("")
                out.append("```diff")
                out.append(diff.rstrip("\n"))
                out.append("```")
            elif f.fix == "unsafe":
                out.append("")
                out.append("_An automatic fix is available with `--unsafe-fixes`" + (f": {note}" if note else "") + "._")
            elif note:
                out.append("")
                out.append(f"_{note[0].upper() + note[1:]}._")
            out.append("")

    out.append("## Scorecard")
    out.append("")
    if not tasks:
        out.append("No tasks in the reviewed files.")
        out.append("")
    else:
        out.append("| task | " + " | ".join(name for _, name in AREAS) + " |")
        out.append("|---|" + "---|" * len(AREAS))
        for task in tasks:
            cells = []
            for key, _ in AREAS:
                if any(owners[id(f)] is task and area_of(f.code) == key for f in findings):
                    cells.append("FAIL")
                elif _applies(task, key, report, areas_checked):
                    cells.append("PASS")
                else:
                    cells.append("n.a.")
            out.append(f"| `{task.qualname}` | " + " | ".join(cells) + " |")
    out += _project_row(findings, owners, areas_checked, bool(tasks))
    out.append("")
    out.append("n.a.: the area does not apply to the task (not on a beat schedule, never sent) or no rule of it ran. "
               "*project*: the findings that are no one task's (settings, routes, schedules).")
    return "\n".join(out) + "\n"


def _project_row(findings, owners: dict, areas_checked: set[str], have_table: bool) -> list[str]:
    """The scorecard's last row: each area's findings that belong to no task (settings, routes,
    schedules naming unknown tasks, crontabs): FAIL, else PASS where a rule of the area ran."""
    cells = []
    for key, _ in AREAS:
        if any(owners[id(f)] is None and area_of(f.code) == key for f in findings):
            cells.append("FAIL")
        else:
            cells.append("PASS" if key in areas_checked else "n.a.")
    rows = [] if have_table else ["| task | " + " | ".join(name for _, name in AREAS) + " |", "|---|" + "---|" * len(AREAS)]
    return rows + ["| *project* | " + " | ".join(cells) + " |"]
