"""The ProjectIndex's plain-data records (picklable: no CST nodes, only strings, numbers, tuples,
dicts and the `Ref`/`Call` value types)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from celery_fix.index.values import UNKNOWN

# consumer kinds that read a task's result (or its state); "id" only counts when some code
# looks results up by id (`AsyncResult(...)` anywhere), "escape" when the result object leaves
# the function (returned, passed on, stored), where we cannot follow it
READING_KINDS = frozenset({
    "get", "wait", "join", "join_native", "ready", "result", "state", "status", "successful", "failed",
    "collect", "then", "info", "traceback", "children", "forget", "revoke",
    "chord_header", "chain_link", "link", "link_error", "group_result", "escape",
})


@dataclass
class TaskInfo:
    qualname: str  # where the task object lives: "orders.tasks.send_receipt"
    name: str | None  # the Celery task name, as Celery computes it; None when `name=` is not a literal
    path: str
    line: int  # the decorator's `@` line; the `class` line for class-based tasks
    kind: str = "function"  # "function" or "class"
    options: dict[str, Any] = field(default_factory=dict)  # effective options: literals, Ref, Call or UNKNOWN
    options_unknown: bool = False  # some options come from an expression we cannot read
    bind: bool = False
    returns_value: bool = False
    module: str = ""
    function: str = ""  # the function's (class's) own name
    column: int = 0
    name_explicit: bool = False
    decorator: str = ""  # what made it a task: "celery.shared_task", "shop.celery.app.task", a preset's qualname
    app: str | None = None  # the app qualname for `@app.task`; None for shared_task
    base: str | None = None  # qualname of the `base=` / parent task class
    other_decorators: tuple[str, ...] = ()
    params: tuple[str, ...] = ()
    docstring: bool = False
    def_line: int = 0  # the `def` / `class` line
    # where each effective option comes from: "decorator", "preset <qualname>", "**<name>",
    # "class <qualname>" (a `base=` class, the app's task_cls, a task class's own bases) or "app task_cls"
    option_sources: dict[str, str] = field(default_factory=dict)
    # base classes we cannot read (outside the project, built by code): the options they could
    # set are unknown (options_unknown is then True)
    unknown_bases: tuple[str, ...] = ()
    # attribute names the `base=` class (and its project bases) define: options an extension or
    # the project's own base reads (CEL308 does not report them)
    base_attributes: tuple[str, ...] = ()

    def option(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)

    def option_known(self, key: str) -> bool:
        """Whether we know for sure whether `key` is set (and to what)."""
        value = self.options.get(key)
        if value is not None and isinstance(value, str) and value == UNKNOWN:
            return False
        return key in self.options or not self.options_unknown

    def option_source(self, key: str) -> str | None:
        """Where the effective option `key` is set ("decorator", "class shop.base.BaseTask", ...)."""
        return self.option_sources.get(key)

    def inherited(self, key: str) -> bool:
        """Whether `key` comes from a class (a `base=` class or a task class's bases), not the decorator."""
        source = self.option_sources.get(key) or ""
        return source.startswith("class ")


@dataclass
class DispatchSite:
    path: str
    line: int
    method: str  # delay / apply_async / s / si / signature / send_task / group / chain / chord
    task: str | None  # the task's qualname when it resolves to a project task
    task_name: str | None = None  # the Celery name when known (send_task("..."), or the task's name)
    value_used: bool = False
    function: str | None = None  # qualname of the enclosing function (None at module level)
    inside_atomic: bool = False
    column: int = 0
    runs: bool = True  # executed here (False: a signature/canvas built, or a reference passed on)
    deferred: bool = False  # inside `on_commit(...)` (partial/lambda): runs after the commit
    args: tuple[str, ...] = ()  # the call's arguments as written (`*a`, `**kw`, `x=1` for keywords)
    target: str | None = None  # the dispatched expression's dotted name as written-resolved


@dataclass
class Consumer:
    path: str
    line: int
    kind: str  # get / wait / join / ready / result / state / id / escape / AsyncResult / chord_header / ...
    task: str | None  # task qualname
    function: str | None = None


@dataclass
class SettingValue:
    key: str  # canonical lowercase Celery key ("task_routes") or "DATABASES"
    value: Any  # literal Python data, or UNKNOWN
    path: str
    line: int
    source: str = ""  # the name written: "CELERY_TASK_ROUTES", "app.conf.task_routes", "Celery(broker=)"
    module: str = ""

    @property
    def known(self) -> bool:
        return not (isinstance(self.value, str) and self.value == UNKNOWN)


@dataclass
class BeatEntry:
    name: str | None
    task: str | None  # the Celery task name ("task": "..."), None when not a literal
    schedule_kind: str  # timedelta / number / crontab / solar / schedule / unknown
    period_seconds: float | None
    path: str
    line: int
    has_expires: bool = False
    has_expire_seconds: bool = False
    options: dict[str, Any] = field(default_factory=dict)
    option_keys: tuple[str, ...] = ()
    args: Any = None
    kwargs: Any = None
    schedule: Any = None  # the schedule value (Call / number / UNKNOWN)
    source: str = ""  # "CELERY_BEAT_SCHEDULE", "app.conf.beat_schedule", "add_periodic_task", ...
    options_unknown: bool = False


@dataclass
class AppInfo:
    qualname: str
    path: str
    line: int
    main: str | None = None
    namespace: str | None = None  # from config_from_object(..., namespace=)
    config_source: str | None = None  # config_from_object's target
    task_cls: str | None = None


@dataclass
class IndexStats:
    files: int = 0
    parsed: int = 0
    skipped: int = 0
    errors: int = 0
    seconds: float = 0.0

    @property
    def skipped_share(self) -> float:
        return self.skipped / self.files if self.files else 0.0
