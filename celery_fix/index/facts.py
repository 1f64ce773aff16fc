"""The plain-data facts one file contributes to the ProjectIndex (picklable: sent back from the
worker processes that parse files)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Decorated:
    """One decorator of a function or class: `@target` or `@target(...)`."""

    target: str | None  # resolved dotted name of the decorator (of the called function for `@x(...)`)
    called: bool
    options: dict[str, Any] = field(default_factory=dict)
    options_unknown: bool = False
    spreads: tuple[str, ...] = ()  # `**NAME` spreads this module cannot read (resolved in link)
    line: int = 0
    column: int = 0


@dataclass
class FunctionFact:
    qualname: str
    name: str
    line: int = 0
    decorators: list[Decorated] = field(default_factory=list)
    returns_value: bool = False
    params: tuple[str, ...] = ()
    docstring: bool = False
    is_method: bool = False
    # evidence that this function wraps transaction.atomic: ("with"|"return"|"nested_with", qualname)
    atomic_evidence: list[tuple[str, str]] = field(default_factory=list)
    returns_nested_function: bool = False
    contextmanager: bool = False
    returns_call: str | None = None  # the callee of a returned call (or of the returned local's call)
    returns_local: str | None = None  # the qualname of a returned nested function


@dataclass
class ClassFact:
    qualname: str
    name: str
    bases: tuple[str | None, ...] = ()
    attributes: dict[str, Any] = field(default_factory=dict)
    attributes_unknown: bool = False
    has_run: bool = False
    run_returns_value: bool = False
    run_bind: bool = True
    run_params: tuple[str, ...] = ()
    docstring: bool = False
    line: int = 0
    column: int = 0
    # a settings class (module-level, in a settings module): its upper-case class attributes, and
    # upper-case properties as UNKNOWN (computed when the class is loaded)
    settings: list[AssignFact] = field(default_factory=list)


@dataclass
class DispatchFact:
    method: str
    target: str | None  # resolved dotted name of the task expression
    task_name: str | None = None  # a literal Celery name (send_task / signature("name"))
    value_used: bool = False
    function: str | None = None
    atomic_context: tuple[str, ...] = ()
    runs: bool = True
    deferred: bool = False
    args: tuple[str, ...] = ()
    line: int = 0
    column: int = 0


@dataclass
class ConsumerFact:
    kind: str
    target: str | None
    task_name: str | None = None
    function: str | None = None
    line: int = 0


@dataclass
class CallFact:
    caller: str | None
    callee: str
    atomic_context: tuple[str, ...] = ()
    line: int = 0
    # `obj.m()` on a local typed by construction or annotation, `Class().m()`: the class
    # expression's resolved name (linking keeps the call only when it is a project class)
    method_of: str | None = None


@dataclass
class AssignFact:
    """A module-level (or `app.conf`) assignment that may be a setting."""

    owner: str  # "module" or the app expression's dotted name for app.conf.X / Celery(...)
    name: str  # the name written: "CELERY_TASK_ROUTES", "task_routes", "broker" (Celery kwarg)
    value: Any
    line: int = 0
    key_path: tuple = ()  # for `NAME[k1][k2] = value`: (k1, k2)
    how: str = "assign"  # assign / item / update / conf / conf_update / celery_kwarg
    entries: list[tuple[Any, Any, int]] | None = None  # beat dicts: (entry name, entry value, key line)


@dataclass
class AppFact:
    qualname: str
    line: int = 0
    main: Any = None
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass
class ConfigFromObject:
    app: str | None
    target: Any  # "django.conf:settings", "proj.celeryconfig", or Ref(module)
    namespace: Any = None
    line: int = 0


@dataclass
class PeriodicFact:
    schedule: Any
    target: str | None
    task_name: str | None
    name: Any = None
    args: Any = None
    kwargs: Any = None
    options: dict[str, Any] = field(default_factory=dict)
    options_unknown: bool = False
    line: int = 0


@dataclass
class FileFacts:
    path: str
    module: str
    error: str | None = None
    warning: str | None = None  # not indexed, but not an error: newer syntax than the running Python
    bindings: dict[str, tuple[str, str]] = field(default_factory=dict)  # local name -> (kind, qualname)
    constants: dict[str, Any] = field(default_factory=dict)  # module-level literal values
    presets: dict[str, Decorated] = field(default_factory=dict)  # name -> `shared_task(...)`-like call
    factories: dict[str, Decorated] = field(default_factory=dict)  # def name -> the decorator call it returns
    functions: list[FunctionFact] = field(default_factory=list)
    classes: list[ClassFact] = field(default_factory=list)
    registrations: list[tuple[str | None, str | None, int]] = field(default_factory=list)  # (app, class, line)
    apps: list[AppFact] = field(default_factory=list)
    # names that may be apps: (qualname, "call:<callee>" | "method", line); linking decides
    app_hints: list[tuple[str, str, int]] = field(default_factory=list)
    # `<model signal>.connect(handler, ...)`: (signal short name, handler's resolved name, line)
    connects: list[tuple[str, str, int]] = field(default_factory=list)
    # project helpers that register receivers (constructs/signals.py): `def on_save(m): return
    # receiver(post_save, sender=m)` -> ("receiver", "shop.signals.on_save", "post_save", -1);
    # `<model signal>.connect(param)` in a function -> ("connect", its qualname, signal, the param's position)
    receiver_helpers: list[tuple[str, str, str, int]] = field(default_factory=list)
    # `f(name, ...)` with a function-like first argument: (callee, the argument's resolved name, line)
    passed: list[tuple[str, str, int]] = field(default_factory=list)
    config_from_object: list[ConfigFromObject] = field(default_factory=list)
    django_settings_module: list[str] = field(default_factory=list)
    # `SettingsClass.load_settings(__name__)` at module level: (the class's resolved name, line)
    settings_loads: list[tuple[str, int]] = field(default_factory=list)
    assignments: list[AssignFact] = field(default_factory=list)
    periodic: list[PeriodicFact] = field(default_factory=list)
    dispatches: list[DispatchFact] = field(default_factory=list)
    consumers: list[ConsumerFact] = field(default_factory=list)
    async_result_anywhere: bool = False
    calls: list[CallFact] = field(default_factory=list)
    # module-level instances of a class (`svc = Service()`, index/local_types.py): name -> class
    instances: dict[str, str] = field(default_factory=dict)
    # some call could send a task: `.delay()`, `.apply_async()`, `.send_task()`, or a call of a
    # call or of `a | b` (a canvas run). Loose on purpose: the engine skips the dispatch rules
    # on an indexed file without one, so it must cover everything `dispatch.as_dispatch` accepts
    may_dispatch: bool = False
    # and one of them has its value used (not an expression statement, not dropped by `on_commit`):
    # a task result exists in the file only then (or through `AsyncResult(...)`)
    dispatch_value_used: bool = False


@dataclass
class Entry:
    name: Any
    value: Any
    spread: bool = False
    line: int = 0


@dataclass
class Registration:
    app: str | None
    cls: str | None
    line: int = 0
