"""`celery-fix --list-tasks`: every task of the project in one table (or JSON), from the ProjectIndex."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from celery_fix.constructs.results import route_items, route_matches
from celery_fix.index.build import ProjectIndex, TaskInfo, build_index
from celery_fix.index.values import UNKNOWN, Ref, plain

COLUMNS = ("task", "location", "queue", "retry", "ignore_result", "time limits", "inherited", "beat", "dispatches")


def print_inventory(files: list[Path], config, output_format: str, discovery_errors: list[str] = ()) -> int:
    root = Path(getattr(config, "root", ".") or ".")
    index = build_index(files, root, _atomic_functions(config), celery_apps=tuple(getattr(config, "celery_apps", ()) or ()),
                        src=tuple(getattr(config, "src", ()) or ()))
    errors = [*discovery_errors, *index.errors.values(), *index.warnings.values()]
    rows = [task_row(index, task, root) for task in sorted(index.tasks, key=lambda t: (t.name or t.qualname))]
    if output_format == "json":
        click.echo(json.dumps({"tasks": rows, "stats": _stats(index), "errors": errors}, indent=2))
    else:
        click.echo(table(rows))
        stats = index.stats
        click.echo(
            f"\n{len(rows)} task{'s' if len(rows) != 1 else ''}; {stats.files} files, {stats.parsed} parsed for the index "
            f"({stats.skipped} skipped by the prefilter) in {stats.seconds:.2f} s"
        )
    # a file the index cannot read leaves the inventory incomplete: an error here
    for message in errors:
        click.echo(f"celery-fix: error: {message}", err=True)
    for message in index.notes:
        click.echo(f"celery-fix: warning: {message}", err=True)
    return 2 if errors else 0


def _atomic_functions(config) -> tuple[str, ...]:
    value = getattr(config, "atomic_functions", None)
    if value is None:
        value = (getattr(config, "rule_options", None) or {}).get("atomic-functions", ())
    return tuple(value or ())


def _stats(index: ProjectIndex) -> dict[str, Any]:
    s = index.stats
    return {"files": s.files, "parsed": s.parsed, "skipped": s.skipped, "seconds": round(s.seconds, 3)}


def task_row(index: ProjectIndex, task: TaskInfo, root: Path) -> dict[str, Any]:
    queue, route = queue_of(index, task)
    return {
        "name": task.name if task.name is not None else UNKNOWN,
        "qualname": task.qualname,
        "kind": task.kind,
        "path": _relative(task.path, root),
        "line": task.line,
        "queue": queue,
        "route": route,
        "retry": retry_policy(task),
        "ignore_result": ignore_result(index, task),
        "time_limit": limit(index, task, "time_limit", "task_time_limit"),
        "soft_time_limit": limit(index, task, "soft_time_limit", "task_soft_time_limit"),
        "beat_entries": [b.name or "?" for b in index.beat_entries_for(task)],
        "dispatch_sites": len(index.dispatches_of(task)),
        "result_consumed": index.is_consumed(task),
        "bind": task.bind,
        "returns_value": task.returns_value,
        "options": plain(task.options),
        "options_unknown": task.options_unknown,
        # where each effective option is set: "decorator", "preset ...", "**NAME", "class <qualname>"
        "option_sources": dict(task.option_sources),
        "unknown_bases": list(task.unknown_bases),
    }


# Celery's task options (Task class attributes, celery/app/task.py, and the autoretry ones): other
# attributes a base class defines are its own business, not shown as inherited options
TASK_OPTIONS = frozenset({
    "name", "typing", "max_retries", "default_retry_delay", "rate_limit", "ignore_result", "trail",
    "send_events", "store_errors_even_if_ignored", "serializer", "time_limit", "soft_time_limit",
    "backend", "autoregister", "track_started", "acks_late", "acks_on_failure_or_timeout",
    "reject_on_worker_lost", "throws", "expires", "priority", "resultrepr_maxsize", "request_stack",
    "abstract", "store_eager_result", "queue", "routing_key", "exchange", "autoretry_for",
    "dont_autoretry_for", "retry_kwargs", "retry_backoff", "retry_backoff_max", "retry_jitter",
    "Request", "Strategy", "compression",
})


def inherited_cell(row: dict[str, Any]) -> str:
    """The options a task gets from classes, grouped by class: `acks_late, autoretry_for (BaseTask)`;
    `?` for a base class we cannot read."""
    by_class: dict[str, list[str]] = {}
    for key, source in row["option_sources"].items():
        if source.startswith("class ") and key in TASK_OPTIONS and key != "abstract":
            if row["kind"] == "class" and source == f"class {row['qualname']}":
                continue  # a class task's own attributes are its "decorator"
            by_class.setdefault(source[len("class "):].rsplit(".", 1)[-1], []).append(key)
    parts = [f"{', '.join(sorted(keys))} ({name})" for name, keys in by_class.items()]
    parts += [f"? ({base.rsplit('.', 1)[-1]})" for base in row["unknown_bases"]]
    return "; ".join(parts) or "-"


def _relative(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path


def queue_of(index: ProjectIndex, task: TaskInfo) -> tuple[str | None, str | None]:
    """(queue, the route key that sends it there): the task's `queue=` wins over `task_routes`."""
    queue = task.options.get("queue")
    if queue is not None:
        return plain(queue), None
    routes = index.settings.get("task_routes")
    if routes is None or task.name is None:
        return None, None
    if not routes.known:
        return UNKNOWN, UNKNOWN
    for key, target in route_items(routes.value, keep_unreadable=True):
        if key is UNKNOWN:
            return UNKNOWN, UNKNOWN
        if isinstance(key, str) and route_matches(key, task.name):
            if isinstance(target, str):
                return target, str(key)
            if isinstance(target, dict):
                return plain(target.get("queue", UNKNOWN)), str(key)
            return UNKNOWN, str(key)
    return None, None


def retry_policy(task: TaskInfo) -> str:
    parts = []
    auto = task.options.get("autoretry_for")
    if auto is not None:
        names = auto if isinstance(auto, (tuple, list)) else (auto,)
        parts.append("auto(" + ", ".join(_short(n) for n in names) + ")")
    if "max_retries" in task.options:
        max_retries = task.options["max_retries"]
        parts.append(f"max={'∞' if max_retries is None else plain(max_retries)}")
    backoff = task.options.get("retry_backoff")
    if backoff not in (None, False):
        parts.append("backoff" if backoff is True else f"backoff={plain(backoff)}")
    if task.options_unknown:
        parts.append("+?")
    return " ".join(parts) or "-"


def _short(value: Any) -> str:
    if isinstance(value, Ref):
        return value.name.rsplit(".", 1)[-1] if value.name.count(".") > 1 else value.name
    return "?" if value is UNKNOWN or value == UNKNOWN else str(plain(value))


def ignore_result(index: ProjectIndex, task: TaskInfo) -> Any:
    if "ignore_result" in task.options:
        value = task.options["ignore_result"]
        return value if isinstance(value, bool) else UNKNOWN
    if task.options_unknown:
        return UNKNOWN
    setting = index.settings.get("task_ignore_result")
    if setting is not None:
        return setting.value if isinstance(setting.value, bool) else UNKNOWN
    return False


def limit(index: ProjectIndex, task: TaskInfo, option: str, setting_key: str) -> Any:
    if option in task.options:
        return plain(task.options[option])
    setting = index.settings.get(setting_key)
    if setting is not None:
        return {"global": plain(setting.value)}
    return UNKNOWN if task.options_unknown else None


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, dict) and "global" in value:
        return f"{_cell(value['global'])} (global)"
    if value == UNKNOWN:
        return "?"
    return str(value)


def table(rows: list[dict[str, Any]]) -> str:
    lines = [COLUMNS]
    for row in rows:
        queue = _cell(row["queue"])
        if row["route"] not in (None, UNKNOWN):
            queue += f" (route {row['route']})"
        soft, hard = row["soft_time_limit"], row["time_limit"]
        limits = "-" if soft is None and hard is None else f"soft {_cell(soft)} / hard {_cell(hard)}"
        lines.append((
            _cell(row["name"]),
            f"{row['path']}:{row['line']}",
            queue,
            row["retry"],
            _cell(row["ignore_result"]),
            limits,
            inherited_cell(row),
            ", ".join(row["beat_entries"]) or "-",
            str(row["dispatch_sites"]),
        ))
    widths = [max(len(line[i]) for line in lines) for i in range(len(COLUMNS))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip() for line in lines)
