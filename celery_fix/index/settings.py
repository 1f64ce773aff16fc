"""Celery settings, wherever a project writes them, mapped to Celery's canonical lowercase keys.

- Django settings modules, read through `app.config_from_object("django.conf:settings",
  namespace="CELERY")`: `CELERY_TASK_ROUTES` -> `task_routes`. Without a namespace Celery reads
  the old upper-case names (`CELERY_ROUTES`, `CELERYBEAT_SCHEDULE`, `BROKER_URL`). When the
  scanned code has no `config_from_object` at all, both forms are accepted.
- Configuration modules (`celeryconfig.py`, or any module named by `config_from_object`):
  lower-case keys (with the namespace prefix when one is given).
- `app.conf.X = ...`, `app.conf.update(...)`, `Celery(broker=..., backend=...)`.
"""

from __future__ import annotations

from typing import Any

from celery_fix.index.model import SettingValue
from celery_fix.index.values import UNKNOWN

# Celery 3.x names, still read when there is no namespace (celery/app/defaults.py)
OLD_NAMES = {
    "CELERY_ROUTES": "task_routes", "CELERY_QUEUES": "task_queues",
    "CELERY_CREATE_MISSING_QUEUES": "task_create_missing_queues",
    "CELERYD_TASK_TIME_LIMIT": "task_time_limit", "CELERYD_TASK_SOFT_TIME_LIMIT": "task_soft_time_limit",
    "CELERY_ACKS_LATE": "task_acks_late", "CELERY_REJECT_ON_WORKER_LOST": "task_reject_on_worker_lost",
    "CELERY_TASK_SERIALIZER": "task_serializer", "CELERY_RESULT_SERIALIZER": "result_serializer",
    "CELERY_ACCEPT_CONTENT": "accept_content", "CELERY_RESULT_BACKEND": "result_backend",
    "CELERY_TASK_RESULT_EXPIRES": "result_expires", "CELERY_IGNORE_RESULT": "task_ignore_result",
    "CELERYBEAT_SCHEDULE": "beat_schedule", "CELERYBEAT_SCHEDULER": "beat_scheduler",
    "BROKER_URL": "broker_url", "BROKER_TRANSPORT_OPTIONS": "broker_transport_options",
    "CELERY_ALWAYS_EAGER": "task_always_eager", "CELERYD_PREFETCH_MULTIPLIER": "worker_prefetch_multiplier",
    "CELERY_DEFAULT_QUEUE": "task_default_queue", "CELERY_TIMEZONE": "timezone",
    "CELERY_TASK_ANNOTATIONS": "task_annotations", "CELERY_ANNOTATIONS": "task_annotations",
    "CELERY_EAGER_PROPAGATES_EXCEPTIONS": "task_eager_propagates",
}
KEY_PREFIXES = (
    "task_", "result_", "broker_", "beat_", "worker_", "event_", "redis_", "database_", "cache_",
    "security_", "control_", "imports", "include", "accept_content", "timezone", "enable_utc",
)
CELERY_KWARGS = {"broker": "broker_url", "backend": "result_backend", "include": "include",
                 "task_cls": "task_cls", "timezone": "timezone", "config_source": "config_source"}
DJANGO_KEYS = ("DATABASES",)


def is_celery_key(name: str) -> bool:
    return name.islower() and name.startswith(KEY_PREFIXES)


class SettingsReader:
    def __init__(self, linker: Any) -> None:  # the index.link.Linker that owns it
        self.linker = linker
        self.values: dict[str, list[SettingValue]] = {}
        self.beat_sources: list[tuple[str, str, Any]] = []
        self.main_module: str | None = None

    def read(self):
        linker = self.linker
        django_namespaces: set[Any] = set()
        config_modules: dict[str, Any] = {}
        for f in linker.facts:
            for call in f.config_from_object:
                target = call.target
                if isinstance(target, str) and "django.conf" in target:
                    django_namespaces.add(call.namespace)
                elif isinstance(target, str):
                    config_modules[target.replace(":", ".")] = call.namespace
                elif hasattr(target, "name"):  # a module object: config_from_object(celeryconfig)
                    config_modules[linker.canonical(target.name)] = call.namespace
        hints = [m for f in linker.facts for m in f.django_settings_module]
        self.main_module = hints[0] if hints else None
        for name in list(config_modules):
            linker.module(name)  # parse it even when the prefilter skipped it
        for f in linker.facts + [linker.modules[n] for n in config_modules if linker.modules.get(n) is not None
                                 and linker.modules[n] not in linker.facts]:
            if linker.is_test(f.path):
                continue  # test settings and schedules are fixtures, not the project's configuration
            if f.module in config_modules:
                namespace = config_modules[f.module]
                self.read_module(f, lambda n, ns=namespace: config_key(n, ns))
            elif f.module.rsplit(".", 1)[-1] == "celeryconfig":
                self.read_module(f, lambda n: config_key(n, None))
            elif self.is_django_settings(f, hints):
                self.read_module(f, lambda n: django_key(n, django_namespaces))
                self.read_classes(f, lambda n: django_key(n, django_namespaces))
            for assign in f.assignments:
                if assign.how in ("conf", "conf_update", "conf_item"):
                    key = assign.name if is_celery_key(assign.name) or assign.name in OLD_NAMES.values() else None
                    if key is not None:
                        self.record(key, assign, f, f"app.conf.{assign.name}")
                elif assign.how == "celery_kwarg":
                    key = CELERY_KWARGS.get(assign.name) or (assign.name if is_celery_key(assign.name) else None)
                    if key is not None:
                        self.record(key, assign, f, f"Celery({assign.name}=)")
        # an entry read twice (a settings class that two settings modules load) is one entry
        unique = {(path, entry.line, repr(entry.name)): (source, path, entry) for source, path, entry in self.beat_sources}
        return self.values, list(unique.values())

    def is_django_settings(self, f, hints) -> bool:
        if f.module in hints:
            return True
        if settings_module_name(f.module):
            return True
        names = {a.name for a in f.assignments if a.how == "assign"}
        return "INSTALLED_APPS" in names or ("DATABASES" in names and any(n.startswith("CELERY") for n in names))

    def read_module(self, f, key_for) -> None:
        for assign in f.assignments:
            if assign.owner != "module":
                continue
            key = "DATABASES" if assign.name == "DATABASES" else key_for(assign.name)
            if key is None:
                continue
            self.record(key, assign, f, assign.name)

    def read_classes(self, f, key_for) -> None:
        """`Settings.load_settings(__name__)`: the class's upper-case attributes (its own first,
        then its project bases' in method resolution order) become the module's settings."""
        for qualname, _ in f.settings_loads:
            for owner, assign in self.linker.class_settings(qualname):
                key = "DATABASES" if assign.name == "DATABASES" else key_for(assign.name)
                if key is not None:
                    self.record(key, assign, owner, assign.name, module=f.module)

    def record(self, key: str, assign, f, source: str, module: str | None = None) -> None:
        module = module or f.module
        value = assign.value
        if assign.key_path:
            value = _nested(assign.key_path, value)
            existing = self.values.get(key)
            if existing and not existing[-1].known and existing[-1].module == module:
                self._beat(key, assign, f, source)  # an item of an unknown value leaves it unknown
                return
            if existing and isinstance(existing[-1].value, dict) and existing[-1].module == module:
                merged = _merge(existing[-1].value, value)
                existing[-1] = SettingValue(key, merged, existing[-1].path, existing[-1].line, existing[-1].source, module)
                self._beat(key, assign, f, source)
                return
        self.values.setdefault(key, []).append(SettingValue(key, value, f.path, assign.line, source, module))
        self._beat(key, assign, f, source)

    def _beat(self, key: str, assign, f, source: str) -> None:
        if key != "beat_schedule" or not assign.entries:
            return
        for entry in assign.entries:
            if entry.spread:
                if isinstance(entry.value, dict):
                    for name, value in entry.value.items():
                        self.beat_sources.append((source, f.path, _Spread(name, value, entry.line)))
                elif hasattr(entry.value, "name"):  # a Ref: a schedule dict written in another module
                    written = self.linker.schedule_entries(entry.value.name)
                    for path, found in written:
                        self.beat_sources.append((source, path, found))
                    value = self.linker.deref(entry.value) if not written else None
                    for name, item in (value.items() if isinstance(value, dict) else ()):
                        self.beat_sources.append((source, f.path, _Spread(name, item, entry.line)))
                continue
            self.beat_sources.append((source, f.path, entry))


class _Spread:
    def __init__(self, name, value, line) -> None:
        self.name, self.value, self.line = name, value, line


def _nested(path: tuple, value: Any) -> Any:
    for key in reversed(path):
        if key is UNKNOWN or isinstance(key, (dict, list)):
            return UNKNOWN
        value = {key: value}
    return value


def _merge(base: dict, extra: Any) -> Any:
    if not isinstance(extra, dict):
        return UNKNOWN
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(merged.get(key), dict) and isinstance(value, dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def settings_module_name(module: str) -> bool:
    """A settings module by its name (`proj.settings`, `proj.settings.base`, `settings_prod`)."""
    return any(part == "settings" or part.startswith("settings_") for part in module.split("."))


def django_key(name: str, namespaces: set[Any]) -> str | None:
    """The Celery key a Django setting `name` sets, given the namespaces apps read settings with."""
    if not name.isupper() and not name.replace("_", "").isupper():
        return None
    accept_new = not namespaces or any(isinstance(ns, str) or ns is UNKNOWN for ns in namespaces)
    accept_old = not namespaces or None in namespaces
    if accept_new:
        for namespace in namespaces or {"CELERY"}:
            prefix = f"{namespace}_" if isinstance(namespace, str) else "CELERY_"
            if name.startswith(prefix):
                key = name[len(prefix):].lower()
                if is_celery_key(key):
                    return key
    if accept_old and name in OLD_NAMES:
        return OLD_NAMES[name]
    return None


def config_key(name: str, namespace: Any) -> str | None:
    if isinstance(namespace, str):
        prefix = f"{namespace}_"
        if not name.startswith(prefix):
            return None
        name = name[len(prefix):].lower()
    if is_celery_key(name):
        return name
    return OLD_NAMES.get(name)
