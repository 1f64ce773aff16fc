"""Literal values as plain Python data: the value types, and reading schedules out of them.

A literal (numbers, strings, True/False/None, tuples/lists/sets/dicts of literals, simple
arithmetic such as `6 * 60 * 60`) becomes its Python value; a dotted name that is not a known
constant becomes a `Ref` (`requests.RequestException`, `settings.QUEUE`); `timedelta(...)`,
`crontab(...)`, `solar(...)` and `Queue(...)` become a `Call`; anything else is `UNKNOWN`. (`celery_fix.index.evaluate` reads them out of libcst
expressions, `index/ast_names.py` out of `ast` ones.)
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from typing import Any

UNKNOWN = "<unknown>"  # the value of an option or setting that is set, but not to a literal


@dataclass(frozen=True)
class Ref:
    """A reference to a named object (an exception class, a setting, a constant not known)."""

    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Call:
    """A call of a known constructor with literal arguments: `timedelta(minutes=5)`, `crontab(...)`."""

    func: str  # resolved dotted name, e.g. "datetime.timedelta", "celery.schedules.crontab"
    args: tuple = ()
    kwargs: tuple[tuple[str, Any], ...] = ()

    def kwarg(self, name: str, default: Any = None) -> Any:
        return dict(self.kwargs).get(name, default)

    def __str__(self) -> str:
        parts = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs]
        return f"{self.func.rsplit('.', 1)[-1]}({', '.join(parts)})"


# dotted names whose calls are kept as `Call` values (schedules, queues, durations)
KNOWN_CALLS = {
    "datetime.timedelta": "timedelta",
    "celery.schedules.crontab": "crontab",
    "celery.schedules.solar": "solar",
    "celery.schedules.schedule": "schedule",
    "celery.crontab": "crontab",
    "kombu.Queue": "Queue",
    "kombu.Exchange": "Exchange",
    "kombu.entity.Queue": "Queue",
    "kombu.entity.Exchange": "Exchange",
}

_BUILTINS = frozenset(name for name in dir(builtins) if not name.startswith("_"))


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_unknown(value: Any) -> bool:
    return value is UNKNOWN or (isinstance(value, str) and value == UNKNOWN)


# -- schedules -------------------------------------------------------------------------------------
_TIMEDELTA_SECONDS = {
    "weeks": 7 * 86400, "days": 86400, "hours": 3600, "minutes": 60, "seconds": 1,
    "milliseconds": 0.001, "microseconds": 0.000001,
}
_TIMEDELTA_POSITIONAL = ("days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks")


def timedelta_seconds(value: Call) -> float | None:
    total = 0.0
    pairs = list(zip(_TIMEDELTA_POSITIONAL, value.args)) + list(value.kwargs)
    for key, amount in pairs:
        if key not in _TIMEDELTA_SECONDS or not _number(amount):
            return None
        total += amount * _TIMEDELTA_SECONDS[key]
    return total


_CRONTAB_FIELDS = ("minute", "hour", "day_of_week", "day_of_month", "month_of_year")


def schedule_info(value: Any) -> tuple[str, float | None]:
    """(kind, period in seconds) of a beat schedule value: kind is timedelta / number / crontab /
    solar / schedule / unknown; the period is None when it is not computable."""
    if _number(value):
        return "number", float(value)
    if not isinstance(value, Call):
        return "unknown", None
    if value.func == "timedelta":
        return "timedelta", timedelta_seconds(value)
    if value.func == "schedule":
        run_every = value.args[0] if value.args else value.kwarg("run_every")
        if _number(run_every):
            return "schedule", float(run_every)
        if isinstance(run_every, Call) and run_every.func == "timedelta":
            return "schedule", timedelta_seconds(run_every)
        return "schedule", None
    if value.func == "crontab":
        return "crontab", crontab_period(value)
    if value.func == "solar":
        return "solar", 86400.0
    return "unknown", None


def crontab_period(value: Call) -> float | None:
    """The period of a crontab when it is regular: every N minutes/hours, daily, weekly."""
    fields = dict(zip(_CRONTAB_FIELDS, value.args))
    fields.update(value.kwargs)
    if any(not isinstance(v, (str, int)) or isinstance(v, bool) for v in fields.values()):
        return None
    fields = {k: str(v).strip() for k, v in fields.items()}
    minute, hour = fields.get("minute", "*"), fields.get("hour", "*")
    dow, dom, moy = fields.get("day_of_week", "*"), fields.get("day_of_month", "*"), fields.get("month_of_year", "*")
    if dom != "*" or moy != "*":
        return None
    if dow != "*":
        return 7 * 86400.0 if _single(dow) and _single(minute) and _single(hour) else None
    if hour == "*":
        if minute == "*":
            return 60.0
        if minute.startswith("*/") and minute[2:].isdigit():
            return int(minute[2:]) * 60.0
        return 3600.0 if _single(minute) else None
    if not _single(minute):
        return None  # `crontab(hour=3)`: every minute of that hour, not a regular period
    if _single(hour):
        return 86400.0
    if hour.startswith("*/") and hour[2:].isdigit():
        return int(hour[2:]) * 3600.0
    return None


def _single(field_value: str) -> bool:
    return field_value.isdigit()


def plain(value: Any) -> Any:
    """`value` as JSON-ready data: Refs and Calls become their source-like strings."""
    if isinstance(value, (Ref, Call)):
        return str(value)
    if isinstance(value, dict):
        return {str(plain(k)): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value
