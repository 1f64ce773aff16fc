"""Celery beat schedule entries read out of one module, for the 8xx rules and their fixes.

Forms read (anywhere in the module, also inside functions):
- `CELERY_BEAT_SCHEDULE = {...}` / `beat_schedule = {...}` / `CELERYBEAT_SCHEDULE` (any name ending
  in `BEAT_SCHEDULE`: a `config_from_object(..., namespace=...)` prefix), also as `dict(...)`;
- `app.conf.beat_schedule = {...}` (any `<x>.beat_schedule` / `<x>.CELERY_BEAT_SCHEDULE` target);
- `CELERY_BEAT_SCHEDULE["key"] = {...}` and `CELERY_BEAT_SCHEDULE.update({...})`;
- `app.conf.update(beat_schedule={...})`, `app.conf.update({"beat_schedule": {...}})`;
- `<x>.add_periodic_task(schedule, sig, name=..., **options)`.

Schedules (`timedelta`, `crontab`, `solar`, `schedule`) are recognised through the module's
NameTable, never by their bare names, and a name a function binds locally is not the import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from celery_fix.constructs.modules import is_test_path
from celery_fix.constructs.names import NameTable
from celery_fix.constructs.scopes import local_names
from celery_fix.index.evaluate import evaluate
from celery_fix.index.values import UNKNOWN, Call, is_unknown, timedelta_seconds
from celery_fix.syntax.file_memo import file_memo, remembered
from celery_fix.syntax.walk import visit_readonly

TIMEDELTA = frozenset({"datetime.timedelta"})
CRONTAB = frozenset({"celery.schedules.crontab", "celery.crontab"})
SOLAR = frozenset({"celery.schedules.solar", "celery.solar"})
SCHEDULE = frozenset({"celery.schedules.schedule", "celery.schedule"})
PERIODIC_TASK_MODEL = frozenset({"django_celery_beat.models.PeriodicTask", "django_celery_beat.models.periodic_task"})
SCHEDULER_SETTINGS = frozenset({"beat_scheduler", "CELERY_BEAT_SCHEDULER", "CELERYBEAT_SCHEDULER"})
CRONTAB_FIELDS = ("minute", "hour", "day_of_week", "day_of_month", "month_of_year")
# keys of an add_periodic_task call that are not message options
_PERIODIC_TASK_PARAMS = frozenset({"schedule", "sig", "args", "kwargs", "name"})


def is_schedule_name(name: str) -> bool:
    return name.endswith(("BEAT_SCHEDULE", "beat_schedule"))


def is_scheduler_name(name: str) -> bool:
    return name in SCHEDULER_SETTINGS or name.upper().endswith("BEAT_SCHEDULER")


def names_database_scheduler(value: Any) -> bool:
    """Whether a `beat_scheduler` value names django-celery-beat's DatabaseScheduler (or a subclass
    recognisable by its name)."""
    if not isinstance(value, str):
        return False
    return "django_celery_beat" in value or "DatabaseScheduler" in value or value.strip() == "django"


@dataclass
class Schedule:
    kind: str  # timedelta / number / schedule / crontab / solar / unknown
    period: float | None  # seconds between runs when regular; for crontab the shortest gap
    node: cst.BaseExpression | None = None
    crontab_call: cst.Call | None = None
    minute_missing: bool = False  # crontab with hour/day/month set and no minute


@dataclass
class BeatEntry:
    report_node: cst.CSTNode  # DictElement (key: entry), Assign (`X["k"] = {...}`) or the add_periodic_task Call
    name: str | None
    form: str  # "dict" (entry is a dict literal), "dict_call" (`dict(...)`), "add_periodic_task", "opaque"
    entry: cst.CSTNode | None  # the entry Dict / dict() Call / add_periodic_task Call; None when opaque
    source: str  # "CELERY_BEAT_SCHEDULE", "app.conf.beat_schedule", "add_periodic_task", ...
    fields: dict[str, cst.BaseExpression] = field(default_factory=dict)
    fields_unknown: bool = False  # `**spread` we cannot read
    task: str | None = None  # the Celery task name when a literal
    task_ref: cst.BaseExpression | None = None  # add_periodic_task: the task object of `task.s()`
    schedule: Schedule = field(default_factory=lambda: Schedule("unknown", None))
    options_node: cst.BaseExpression | None = None  # the `"options"` value as written
    options: dict[str, cst.BaseExpression] = field(default_factory=dict)
    options_unknown: bool = False
    options_editable: bool = True  # the options are written inline (not a name, not a spread)
    local_names: frozenset[str] = frozenset()  # names bound in the enclosing function
    dynamic: bool = False  # written inside a loop or comprehension: one literal, many entries

    @property
    def has_expiry(self) -> bool:
        return "expires" in self.options or "expire_seconds" in self.options


# -- reading a module ------------------------------------------------------------------------
_CACHE = file_memo()


def module_entries(module: cst.Module, names: NameTable, context: Any = None) -> list[BeatEntry]:
    """Every beat entry written in `module` (cached for the module object being checked); with the
    index, also those of a module-level dict the project's beat schedule is assembled from
    (`PERIODIC_TASKS = {...}` here, `CELERY_BEAT_SCHEDULE = dict(PERIODIC_TASKS)` in the settings).
    None in test code (the rule's FileContext path): entries written there are fixtures."""
    index = getattr(context, "index", None)
    path = getattr(context, "path", "")
    if path and is_test_path(path, getattr(index, "source_roots", ())):
        return []
    def collect() -> list[BeatEntry]:
        collector = _Collector(names, schedule_names_here(index, names.module_name))
        visit_readonly(module, collector)
        return collector.entries

    return remembered(_CACHE, names, module, None, collect)


def local_bindings(function: cst.FunctionDef | cst.Lambda) -> set[str]:
    """Parameters and names bound in a function's own scope (the one definition, in scopes.py)."""
    return set(local_names(function))


class Resolver:
    """Resolves names through the NameTable, minus the names a function binds itself."""

    def __init__(self, names: NameTable, local: frozenset[str] = frozenset()) -> None:
        self.names = names
        self.local = local

    def resolve(self, expr: cst.BaseExpression) -> str | None:
        base = expr
        while isinstance(base, cst.Attribute):
            base = base.value
        if isinstance(base, cst.Name) and base.value in self.local:
            return None
        return self.names.resolve(expr)

    def constant(self, name: str) -> Any:
        """The literal value of a module-level constant (`INTERVAL = 5 * 60`)."""
        if name in self.local:
            return UNKNOWN
        binding = self.names.bindings.get(name)
        if binding is None or binding.kind != "value" or not isinstance(binding.node, (cst.Assign, cst.AnnAssign)):
            return UNKNOWN
        value = binding.node.value
        if value is None:
            return UNKNOWN
        return evaluate(value, self.resolve, None)

    def value(self, expr: cst.BaseExpression) -> Any:
        return evaluate(expr, self.resolve, self.constant)

    def literal_dict_of_name(self, expr: cst.BaseExpression) -> cst.Dict | None:
        if not isinstance(expr, cst.Name) or expr.value in self.local:
            return None
        binding = self.names.bindings.get(expr.value)
        if binding is None or binding.kind != "value":
            return None
        value = getattr(binding.node, "value", None)
        return value if isinstance(value, cst.Dict) else None


def schedule_names_here(index: Any, module_name: str) -> frozenset[str]:
    """The module-level names of `module_name` the index saw a beat schedule assembled from."""
    found = getattr(index, "schedule_names", None) or ()
    return frozenset(q[len(module_name) + 1:] for q in found if module_name and q.startswith(module_name + ".")
                     and "." not in q[len(module_name) + 1:])


class _Collector(cst.CSTVisitor):
    def __init__(self, names: NameTable, schedule_names: frozenset[str] = frozenset()) -> None:
        self.names = names
        self.schedule_names = schedule_names
        self.entries: list[BeatEntry] = []
        self.scopes: list[frozenset[str]] = []
        self.loops = 0

    def _enter_loop(self, node) -> None:
        self.loops += 1

    def _leave_loop(self, original_node) -> None:
        self.loops -= 1

    visit_For = visit_While = visit_ListComp = visit_DictComp = visit_SetComp = visit_GeneratorExp = _enter_loop
    leave_For = leave_While = leave_ListComp = leave_DictComp = leave_SetComp = leave_GeneratorExp = _leave_loop

    @property
    def resolver(self) -> Resolver:
        return Resolver(self.names, self.scopes[-1] if self.scopes else frozenset())

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scopes.append(frozenset(local_bindings(node)))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scopes.pop()

    # `X = {...}`, `app.conf.beat_schedule = {...}`, `X["key"] = {...}`
    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._assigned(node, target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._assigned(node, node.target, node.value)

    def _assigned(self, statement, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        source = _schedule_target(target)
        if source is None and isinstance(target, cst.Name) and target.value in self.schedule_names and not self.scopes:
            source = target.value
        if source is not None:
            self._mapping(value, source)
            return
        if isinstance(target, cst.Subscript) and len(target.slice) == 1:
            source = _schedule_target(target.value)
            index = target.slice[0].slice
            if source is not None and isinstance(index, cst.Index):
                name = _string(index.value)
                self._entry(statement, name, value, source)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute):
            return
        attr = func.attr.value
        if attr == "add_periodic_task":
            self._periodic_task(node)
        elif attr == "update":
            source = _schedule_target(func.value)
            if source is not None:  # CELERY_BEAT_SCHEDULE.update({...}) / update(key={...})
                for arg in node.args:
                    if arg.keyword is not None:
                        self._entry_element(arg, arg.keyword.value, arg.value, source)
                    elif not arg.star:
                        self._mapping(arg.value, source)
                return
            # app.conf.update(beat_schedule={...}) / app.conf.update({"beat_schedule": {...}})
            for arg in node.args:
                if arg.keyword is not None and is_schedule_name(arg.keyword.value):
                    self._mapping(arg.value, f"update({arg.keyword.value}=)")
                elif arg.keyword is None and not arg.star and isinstance(arg.value, cst.Dict):
                    for element in arg.value.elements:
                        key = _string(element.key) if isinstance(element, cst.DictElement) else None
                        if key is not None and is_schedule_name(key):
                            self._mapping(element.value, f"update({key!r})")

    # -- the schedule mapping -----------------------------------------------------------------
    def _mapping(self, value: cst.BaseExpression, source: str) -> None:
        if isinstance(value, cst.Dict):
            for element in value.elements:
                if isinstance(element, cst.DictElement):
                    self._entry_element(element, _string(element.key), element.value, source)
        elif _is_dict_call(self.names, value):
            for arg in value.args:
                if arg.keyword is not None:
                    self._entry_element(arg, arg.keyword.value, arg.value, source)
                elif not arg.star:
                    self._mapping(arg.value, source)

    def _entry_element(self, report_node, name, value, source) -> None:
        self._entry(report_node, name, value, source)

    def _entry(self, report_node: cst.CSTNode, name: str | None, value: cst.BaseExpression, source: str) -> None:
        entry = BeatEntry(report_node=report_node, name=name, form="opaque", entry=None, source=source)
        entry.local_names = self.scopes[-1] if self.scopes else frozenset()
        entry.dynamic = self.loops > 0
        resolver = self.resolver
        if isinstance(value, cst.Dict):
            entry.form, entry.entry = "dict", value
            for element in value.elements:
                if isinstance(element, cst.StarredDictElement):
                    spread = resolver.literal_dict_of_name(element.value)
                    if spread is None:
                        entry.fields_unknown = True
                        continue
                    for spread_element in spread.elements:
                        key = _string(spread_element.key) if isinstance(spread_element, cst.DictElement) else None
                        if key is None:
                            entry.fields_unknown = True
                        elif key not in entry.fields:
                            entry.fields[key] = spread_element.value
                            if key == "options":
                                entry.options_editable = False
                    continue
                key = _string(element.key)
                if key is None:
                    entry.fields_unknown = True
                else:
                    entry.fields[key] = element.value
        elif _is_dict_call(self.names, value):
            entry.form, entry.entry = "dict_call", value
            for arg in value.args:
                if arg.keyword is not None:
                    entry.fields[arg.keyword.value] = arg.value
                else:
                    entry.fields_unknown = True
        else:
            self.entries.append(entry)
            return
        if "task" in entry.fields:
            task = resolver.value(entry.fields["task"])
            entry.task = task if isinstance(task, str) else None
        if "schedule" in entry.fields:
            entry.schedule = read_schedule(resolver, entry.fields["schedule"])
        if "options" in entry.fields:
            self._options(entry, entry.fields["options"], resolver)
        elif entry.fields_unknown:
            entry.options_unknown = True
        self.entries.append(entry)

    def _options(self, entry: BeatEntry, node: cst.BaseExpression, resolver: Resolver) -> None:
        entry.options_node = node
        mapping = node
        if isinstance(node, cst.Name):
            mapping = resolver.literal_dict_of_name(node)
            entry.options_editable = False
        if isinstance(mapping, cst.Dict):
            for element in mapping.elements:
                key = _string(element.key) if isinstance(element, cst.DictElement) else None
                if key is None:
                    entry.options_unknown = True
                else:
                    entry.options[key] = element.value
        elif mapping is not None and _is_dict_call(self.names, mapping):
            for arg in mapping.args:
                if arg.keyword is not None:
                    entry.options[arg.keyword.value] = arg.value
                else:
                    entry.options_unknown = True
        else:
            entry.options_unknown = True

    # -- app.add_periodic_task(schedule, sig, args=(), kwargs=(), name=None, **options) --------
    def _periodic_task(self, call: cst.Call) -> None:
        positional = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
        keywords = {arg.keyword.value: arg.value for arg in call.args if arg.keyword is not None}
        schedule = positional[0] if positional else keywords.get("schedule")
        sig = positional[1] if len(positional) > 1 else keywords.get("sig")
        if schedule is None or sig is None:
            return
        resolver = self.resolver
        name = _string(keywords["name"]) if "name" in keywords else None
        entry = BeatEntry(report_node=call, name=name, form="add_periodic_task", entry=call, source="add_periodic_task")
        entry.local_names = self.scopes[-1] if self.scopes else frozenset()
        entry.dynamic = self.loops > 0
        entry.schedule = read_schedule(resolver, schedule)
        entry.fields = {"schedule": schedule, "sig": sig}
        entry.options = {key: value for key, value in keywords.items() if key not in _PERIODIC_TASK_PARAMS}
        if any(arg.star == "**" for arg in call.args) or len(positional) > 2:
            entry.options_unknown = True
        sig_options, known, task_ref, task_name = _signature_options(resolver, sig)
        entry.task_ref, entry.task = task_ref, task_name
        for key, value in sig_options.items():
            entry.options.setdefault(key, value)
        if not known:
            entry.options_unknown = True
        self.entries.append(entry)


def _signature_options(resolver: Resolver, sig: cst.BaseExpression):
    """(options, fully known?, task expression, task name) of `task.s(...)`, `task.si(...)`,
    `task.signature(args, kwargs, **options)`, `<sig>.set(**options)`, `signature("name", ...)`."""
    if not isinstance(sig, cst.Call):
        return {}, False, None, None
    func = sig.func
    if isinstance(func, cst.Attribute) and func.attr.value == "set":
        options, known, task_ref, task_name = _signature_options(resolver, func.value)
        for arg in sig.args:
            if arg.keyword is not None:
                options[arg.keyword.value] = arg.value
            else:
                known = False
        return options, known, task_ref, task_name
    if isinstance(func, cst.Attribute) and func.attr.value in ("s", "si"):
        return {}, True, func.value, None
    if isinstance(func, cst.Attribute) and func.attr.value in ("signature", "subtask"):
        options = {arg.keyword.value: arg.value for arg in sig.args if arg.keyword is not None
                   and arg.keyword.value not in ("args", "kwargs")}
        known = not any(arg.star for arg in sig.args)
        return options, known, func.value, None
    if resolver.resolve(func) in ("celery.signature", "celery.canvas.signature", "celery.canvas.Signature", "celery.Signature"):
        positional = [arg.value for arg in sig.args if arg.keyword is None and not arg.star]
        keywords = {arg.keyword.value: arg.value for arg in sig.args if arg.keyword is not None}
        name = resolver.value(positional[0]) if positional else None
        options_expr = keywords.get("options")
        options, known = {}, not any(arg.star for arg in sig.args)
        if options_expr is not None:
            if isinstance(options_expr, cst.Dict) and all(
                isinstance(e, cst.DictElement) and _string(e.key) for e in options_expr.elements
            ):
                options = {_string(e.key): e.value for e in options_expr.elements}
            else:
                known = False
        options.update({k: v for k, v in keywords.items() if k not in ("args", "kwargs", "options", "immutable", "subtask_type")})
        return options, known, None, name if isinstance(name, str) else None
    return {}, False, None, None


def _schedule_target(target: cst.BaseExpression) -> str | None:
    """The setting a target names when it is a beat schedule (`CELERY_BEAT_SCHEDULE`,
    `app.conf.beat_schedule`), else None."""
    if isinstance(target, cst.Name) and is_schedule_name(target.value):
        return target.value
    if isinstance(target, cst.Attribute) and is_schedule_name(target.attr.value):
        inner = target.value
        if isinstance(inner, cst.Attribute) and inner.attr.value == "conf":
            return f"conf.{target.attr.value}"
        if isinstance(inner, cst.Name) and inner.value in ("settings", "conf", "config"):
            return f"{inner.value}.{target.attr.value}"
    return None


def _is_dict_call(names: NameTable, expr: cst.BaseExpression) -> bool:
    return (
        isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value == "dict"
        and "dict" not in names.bindings
    )


def _string(expr: cst.BaseExpression | None) -> str | None:
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
        value = expr.evaluated_value
        return value if isinstance(value, str) else None
    return None


# -- schedules -------------------------------------------------------------------------------
def schedule_kind(resolver: Resolver, expr: cst.BaseExpression) -> str | None:
    """"timedelta" / "crontab" / "solar" / "schedule" when `expr` calls one of those."""
    if not isinstance(expr, cst.Call):
        return None
    qualname = resolver.resolve(expr.func)
    for kind, known in (("timedelta", TIMEDELTA), ("crontab", CRONTAB), ("solar", SOLAR), ("schedule", SCHEDULE)):
        if qualname in known:
            return kind
    return None


def read_schedule(resolver: Resolver, expr: cst.BaseExpression) -> Schedule:
    if isinstance(expr, cst.Name) and expr.value not in resolver.local:
        binding = resolver.names.bindings.get(expr.value)
        value = getattr(binding.node, "value", None) if binding is not None and binding.kind == "value" else None
        if isinstance(value, cst.Call):
            inner = read_schedule(Resolver(resolver.names), value)
            inner.node = expr  # written elsewhere: the fix may not edit it
            inner.crontab_call = None
            return inner
    kind = schedule_kind(resolver, expr)
    if kind is None:
        value = resolver.value(expr)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
            return Schedule("number", float(value), expr)
        return Schedule("unknown", None, expr)
    args = _call_args(resolver, expr)
    if kind == "timedelta":
        return Schedule(kind, None if args is None else _positive(timedelta_seconds(args)), expr)
    if kind == "schedule":
        if args is None:
            return Schedule(kind, None, expr)
        run_every = args.args[0] if args.args else args.kwarg("run_every")
        first = (expr.args[0].value if expr.args and expr.args[0].keyword is None
                 else next((a.value for a in expr.args if a.keyword and a.keyword.value == "run_every"), None))
        if first is not None:
            inner = read_schedule(resolver, first)
            if inner.kind in ("timedelta", "number"):
                return Schedule(kind, inner.period, expr)
        return Schedule(kind, float(run_every) if _number(run_every) else None, expr)
    if kind == "solar":
        return Schedule(kind, None, expr)
    # crontab
    result = Schedule("crontab", None, expr, crontab_call=expr)
    fields = crontab_fields(expr)
    result.minute_missing = "minute" not in fields and any(
        name in fields and not is_star(fields[name]) for name in CRONTAB_FIELDS[1:]
    )
    if args is not None:
        values = dict(zip(CRONTAB_FIELDS, args.args))
        values.update(args.kwargs)
        result.period = crontab_min_gap(values)
    return result


def crontab_fields(call: cst.Call) -> dict[str, cst.BaseExpression]:
    fields: dict[str, cst.BaseExpression] = {}
    position = 0
    for arg in call.args:
        if arg.star:
            return {name: arg.value for name in CRONTAB_FIELDS}  # unknown: treat every field as set
        if arg.keyword is None:
            if position < len(CRONTAB_FIELDS):
                fields[CRONTAB_FIELDS[position]] = arg.value
            position += 1
        else:
            fields[arg.keyword.value] = arg.value
    return fields


def is_star(expr: cst.BaseExpression) -> bool:
    return _string(expr) is not None and _string(expr).strip() == "*"


def _call_args(resolver: Resolver, call: cst.Call) -> Call | None:
    args, kwargs = [], []
    for arg in call.args:
        if arg.star:
            return None
        value = resolver.value(arg.value)
        if arg.keyword is None:
            args.append(value)
        else:
            kwargs.append((arg.keyword.value, value))
    return Call("call", tuple(args), tuple(kwargs))


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _positive(value: float | None) -> float | None:
    return value if value is not None and value > 0 else None


_DAY_NAMES = {name: i for i, name in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))}


def _cron_set(value: Any, low: int, high: int, names: dict[str, int] | None = None) -> set[int] | None:
    """The values a crontab field allows, or None when it cannot be read."""
    if is_unknown(value) or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return {value} if low <= value <= high else None
    if isinstance(value, (list, tuple, set)):
        result: set[int] = set()
        for item in value:
            part = _cron_set(item, low, high, names)
            if part is None:
                return None
            result |= part
        return result
    if not isinstance(value, str):
        return None
    result = set()
    for part in value.replace(" ", "").lower().split(","):
        step = 1
        if "/" in part:
            part, _, step_text = part.partition("/")
            if not step_text.isdigit() or int(step_text) == 0:
                return None
            step = int(step_text)
        if part == "*":
            start, end = low, high
        elif "-" in part:
            a, _, b = part.partition("-")
            start, end = _cron_number(a, names), _cron_number(b, names)
            if start is None or end is None or start > end:
                return None
        else:
            start = _cron_number(part, names)
            if start is None:
                return None
            end = high if step > 1 else start
        if not (low <= start <= high and low <= end <= high):
            return None
        result.update(range(start, end + 1, step))
    return result or None


def _cron_number(text: str, names: dict[str, int] | None) -> int | None:
    if text.isdigit():
        return int(text)
    if names is not None:
        return names.get(text[:3])
    return None


def crontab_min_gap(fields: dict[str, Any]) -> float | None:
    """A lower bound of the time between two runs of a crontab, in seconds (its period when it is
    regular); None when the fields cannot be read. Never more than the real shortest gap."""
    minutes = _cron_set(fields.get("minute", "*"), 0, 59)
    hours = _cron_set(fields.get("hour", "*"), 0, 23)
    if minutes is None or hours is None:
        return None
    times = sorted(h * 60 + m for h in hours for m in minutes)
    gaps = [b - a for a, b in zip(times, times[1:])]
    gaps.append(times[0] + 1440 - times[-1])  # into the next day (a lower bound if days are skipped)
    if len(times) > 1:
        return float(min(gaps) * 60)
    days_restricted = any(
        not (isinstance(fields.get(key, "*"), str) and fields.get(key, "*").strip() == "*")
        for key in ("day_of_week", "day_of_month", "month_of_year")
    )
    if not days_restricted:
        return 86400.0
    if all(isinstance(fields.get(key, "*"), str) and fields.get(key, "*").strip() == "*"
           for key in ("day_of_month", "month_of_year")):
        days = _cron_set(fields.get("day_of_week"), 0, 7, _DAY_NAMES)
        if days is None:
            return None
        days = sorted({d % 7 for d in days})
        day_gaps = [b - a for a, b in zip(days, days[1:])] + [days[0] + 7 - days[-1]]
        return float(min(day_gaps) * 86400)
    return None


def expires_seconds(entry: BeatEntry, default: int) -> int | None:
    """N for `expires`: the interval for timedelta/number/schedule entries, the (shortest) period
    for crontab, else `default` capped at the period; None when no safe N is known."""
    schedule = entry.schedule
    if schedule.kind in ("timedelta", "number", "schedule"):
        if schedule.period is None or schedule.period < 1:
            return None
        return int(schedule.period)
    if schedule.kind == "crontab":
        if schedule.minute_missing:
            return None  # fix the crontab first (CEL806): its period changes with it
        if schedule.period is None:
            return default
        return int(schedule.period) if schedule.period >= 1 else None
    if schedule.kind == "solar":
        return default  # about a day between two runs of one solar event
    return None


def seconds_source(seconds: int) -> str:
    """`60 * 60` rather than `3600`: readable seconds, never a timedelta (Celery rejects one)."""
    for unit, spelled in ((86400, "24 * 60 * 60"), (3600, "60 * 60"), (60, "60")):
        if seconds >= unit and seconds % unit == 0:
            count = seconds // unit
            return spelled if count == 1 else f"{count} * {spelled}"
    return str(seconds)


# -- which scheduler ---------------------------------------------------------------------------
def module_scheduler(module: cst.Module) -> str | None:
    """The `beat_scheduler` set in this module (`CELERY_BEAT_SCHEDULER = "..."`,
    `app.conf.beat_scheduler = ...`, `app.conf.update(beat_scheduler=...)`), when a string."""
    finder = _SchedulerSetting()
    visit_readonly(module, finder)
    return finder.value


class _SchedulerSetting(cst.CSTVisitor):
    def __init__(self) -> None:
        self.value: str | None = None

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            name = target.target
            key = name.value if isinstance(name, cst.Name) else name.attr.value if isinstance(name, cst.Attribute) else None
            if key is not None and is_scheduler_name(key):
                value = _string(node.value)
                if value is not None:
                    self.value = value

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute) and node.func.attr.value in ("update", "setdefault"):
            for arg in node.args:
                if arg.keyword is not None and is_scheduler_name(arg.keyword.value):
                    value = _string(arg.value)
                    if value is not None:
                        self.value = value


# -- the task an entry schedules ---------------------------------------------------------------
@dataclass
class TaskFacts:
    name: str | None
    options: dict[str, Any]  # evaluated option values (numbers, strings, UNKNOWN, ...)
    options_unknown: bool
    docstring: bool


def index_tasks(index: Any) -> list:
    tasks = getattr(index, "tasks", None) or ()
    return list(tasks.values()) if isinstance(tasks, dict) else list(tasks)


def index_task_by_name(index: Any, name: str):
    finder = getattr(index, "task_by_name", None)
    if callable(finder):
        try:
            found = finder(name)
        except (KeyError, LookupError):
            found = None
        if found is not None:
            return found
    return next((t for t in index_tasks(index) if getattr(t, "name", None) == name), None)


def index_setting(index: Any, key: str) -> Any:
    """The known value of a Celery setting in the ProjectIndex (canonical lowercase key), or UNKNOWN."""
    settings = getattr(index, "settings", None) or {}
    value = settings.get(key) if isinstance(settings, dict) else None
    if value is None or not getattr(value, "known", True):
        return UNKNOWN
    return getattr(value, "value", UNKNOWN)


def module_tasks(module: cst.Module, names: NameTable) -> dict[str, tuple[cst.CSTNode, Any]]:
    """Tasks defined at this module's top level: local name -> (the def, its TaskDecorator)."""
    from celery_fix.constructs.tasks import task_decorator

    found: dict[str, tuple[cst.CSTNode, Any]] = {}
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef):
            for decorator in statement.decorators:
                task = task_decorator(names, decorator)
                if task is not None:
                    found[statement.name.value] = (statement, task)
                    break
    return found


def celery_task_name(names: NameTable, function: str, task) -> str | None:
    """The name Celery gives a task defined here: `name=` when a literal, else module.function."""
    explicit = task.options.get("name")
    if explicit is not None:
        return _string(explicit)
    return f"{names.module_name}.{function}" if names.module_name else None


def entry_task(module: cst.Module, names: NameTable, index: Any, entry: BeatEntry) -> TaskFacts | None:
    """What we know of the task an entry schedules: from the ProjectIndex, else from a task
    defined in the same module (`task.s()` in add_periodic_task, or the same Celery name)."""
    if index is not None and entry.task is not None:
        info = index_task_by_name(index, entry.task)
        if info is not None:
            return TaskFacts(entry.task, dict(getattr(info, "options", {}) or {}),
                             bool(getattr(info, "options_unknown", False)), bool(getattr(info, "docstring", False)))
    local = module_tasks(module, names)
    resolver = Resolver(names)
    for function, (node, task) in local.items():
        matches = False
        if isinstance(entry.task_ref, cst.Name) and entry.task_ref.value == function \
                and entry.task_ref.value not in entry.local_names:
            matches = True
        elif entry.task is not None and entry.task == celery_task_name(names, function, task):
            matches = True
        if matches:
            options = {key: resolver.value(value) for key, value in task.options.items()}
            return TaskFacts(celery_task_name(names, function, task), options, task.options_unknown,
                             node.get_docstring() is not None)
    return None


def module_setting(module: cst.Module, names: NameTable, key: str) -> Any:
    """A Celery setting assigned in this module (`task_time_limit`, `CELERY_TASK_TIME_LIMIT`,
    `app.conf.task_time_limit`), evaluated; UNKNOWN when absent or not a literal."""
    wanted = {key, f"CELERY_{key.upper()}", key.upper()}
    resolver = Resolver(names)
    found: Any = UNKNOWN
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Assign):
                for target in small.targets:
                    t = target.target
                    label = t.value if isinstance(t, cst.Name) else t.attr.value if isinstance(t, cst.Attribute) else None
                    if label in wanted:
                        found = resolver.value(small.value)
    return found
