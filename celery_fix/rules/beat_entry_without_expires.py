import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.constructs.beat_label import entry_label
from celery_fix.constructs.beat import (
    PERIODIC_TASK_MODEL, UNKNOWN, Resolver, module_setting, entry_task, expires_seconds, index_setting, is_unknown, local_bindings,
    module_entries, module_scheduler, names_database_scheduler, seconds_source,
)
from celery_fix.codemods.beat_expires import DEFAULT_EXPIRES, EXPIRE_SECONDS, EXPIRES, add_expiry, plan_expiry, rename_key

_MODEL_METHODS = frozenset({"create", "get_or_create", "update_or_create"})


class BeatEntryWithoutExpiresRule(rule.CeleryRule):
    """
    ## What it does
    Checks for Celery beat entries (`CELERY_BEAT_SCHEDULE`, `app.conf.beat_schedule`,
    `app.conf.update(beat_schedule=...)`, `add_periodic_task(...)`) and django-celery-beat
    `PeriodicTask.objects.create(...)` calls that give the scheduled message no expiry.

    ## Why is this bad?
    Beat sends a message on schedule whether or not the last run finished and whether or not any
    worker is up. While the workers are down, busy or stuck, the messages pile up; when they come
    back every stale run executes at once (celery/celery#591). With `expires`, a message that has
    not started before the next run is due is revoked instead. With django-celery-beat's
    `DatabaseScheduler`, `options["expires"]` of a settings entry is silently dropped
    (django-celery-beat#280): the key it keeps is `expire_seconds`.

    ## Example
    ```python
    CELERY_BEAT_SCHEDULE = {
        "sync-stock": {"task": "shop.tasks.sync_stock", "schedule": timedelta(minutes=5)},
    }
    ```

    ## Use instead
    ```python
    CELERY_BEAT_SCHEDULE = {
        "sync-stock": {"task": "shop.tasks.sync_stock", "schedule": timedelta(minutes=5), "options": {"expires": 5 * 60}},
    }
    ```

    ## Fix safety
    Safe. The fix adds `"options": {"expires": N}` (merged into an existing `options` dict;
    `expires=N` for `add_periodic_task`), N in seconds: the interval of a `timedelta`/number/
    `schedule` entry, the shortest gap of a `crontab`, else option `beat-default-expires`
    (3600) — never more than the period, and never a `timedelta`, which Celery rejects. When the
    project's `beat_scheduler` names django-celery-beat's `DatabaseScheduler` (or option
    `beat-scheduler = "database"`), the key is `expire_seconds`, and an existing integer
    `expires` is renamed to it. No fix when the entry or its options are built by code, when the
    schedule's period is not known, or for `PeriodicTask` rows (report only). No finding when the
    task itself sets `expires=` (Celery uses it for beat's messages too).
    """

    CODE = "CEL801"
    NAME = "beat-entry-without-expires"
    MESSAGE = "beat entry without `expires`: its runs pile up while workers are down"
    HELP = "add `\"options\": {\"expires\": <period in seconds>}`"
    FIX_TITLE = 'Add `"options": {"expires": N}`'
    FIX_KIND = "safe"
    TRIGGERS = (b"BEAT_SCHEDULE", b"beat_schedule", b"add_periodic_task", b"PeriodicTask")
    READS_SCHEDULES = True
    OPTIONS = {"beat-scheduler": "auto", "beat-default-expires": DEFAULT_EXPIRES}

    VALID = [
        Valid(
            """
            from datetime import timedelta

            CELERY_BEAT_SCHEDULE = {
                "sync": {"task": "shop.tasks.sync", "schedule": timedelta(minutes=5), "options": {"expires": 300}},
            }
            """
        ),
        Valid(
            """
            CELERY_BEAT_SCHEDULE = {"sync": {"task": "shop.tasks.sync", "schedule": 60, **EXTRA}}
            """
        ),
        Valid(
            """
            CELERY_BEAT_SCHEDULE = build_schedule()
            """
        ),
        Valid(
            """
            SCHEDULE = {"sync": {"task": "shop.tasks.sync", "schedule": 60}}
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            CELERY_BEAT_SCHEDULE = {"sync": {"task": "shop.tasks.sync", "schedule": 300.0}}
            """,
            expected_replacement="""
            CELERY_BEAT_SCHEDULE = {"sync": {"task": "shop.tasks.sync", "schedule": 300.0, "options": {"expires": 5 * 60}}}
            """,
        ),
        Invalid(
            """
            from celery.schedules import crontab

            CELERY_BEAT_SCHEDULE = {
                "report": {
                    "task": "shop.tasks.report",
                    "schedule": crontab(minute="*/15"),
                    "options": {"queue": "reports"},
                },
            }
            """,
            expected_replacement="""
            from celery.schedules import crontab

            CELERY_BEAT_SCHEDULE = {
                "report": {
                    "task": "shop.tasks.report",
                    "schedule": crontab(minute="*/15"),
                    "options": {"queue": "reports", "expires": 15 * 60},
                },
            }
            """,
        ),
        Invalid(
            """
            CELERY_BEAT_SCHEDULE = {"sync": {"task": "shop.tasks.sync", "schedule": get_interval()}}
            """,
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._model_aliases: list[frozenset[str]] = []
        # enclosing functions; their local names are worked out only when a PeriodicTask call needs them
        self._scopes: list[cst.FunctionDef] = []

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        self._model_aliases, self._scopes = [], []
        index = self.context.index if self.context is not None else None
        entries = module_entries(node, self.names, self.context)
        if not entries:
            return
        database = self._database_scheduler(node, index)
        ambiguous = database is None  # django-celery-beat installed, scheduler not known: no fix
        key = EXPIRE_SECONDS if database else EXPIRES
        default = self.option("beat-default-expires")
        for entry in entries:
            if entry.form == "opaque" or entry.options_unknown:
                continue
            if entry.form != "add_periodic_task" and not {"task", "schedule"} <= set(entry.fields):
                continue  # not a beat entry (or one we cannot read)
            if database and "expires" in entry.options and "expire_seconds" not in entry.options:
                self._dropped_expires(entry)
                continue
            if entry.has_expiry:
                continue
            task = entry_task(node, self.names, index, entry)
            if task is not None and task.options.get("expires") is not None:
                continue  # the task's own `expires=` applies to beat's messages too
            label = entry_label(entry)
            seconds = expires_seconds(entry, default)
            if seconds is None or not plan_expiry(entry) or ambiguous:
                why = self._why_no_fix(entry, seconds)
                self.report(entry.report_node, f"{label} has no `{key}`: its runs pile up while workers are down",
                            help=f"set `{key}` to its period in seconds", note=f"no automatic fix: {why}")
                continue
            where = f"`{key}={seconds_source(seconds)}`" if entry.form == "add_periodic_task" else \
                f'`"options": {{"{key}": {seconds_source(seconds)}}}`'
            note = " (django-celery-beat's DatabaseScheduler drops `expires`)" if database else ""
            self.report(
                entry.report_node,
                f"{label} has no `{key}`: its runs pile up while workers are down",
                help=f"add {where}{note}",
                replacement=add_expiry(entry, seconds, key),
            )

    def _dropped_expires(self, entry) -> None:
        value = Resolver(self.names, entry.local_names).value(entry.options["expires"])
        integral = isinstance(value, int) and not isinstance(value, bool) and value > 0
        replacement = rename_key(entry, "expires", "expire_seconds") if integral else None
        self.report(
            entry.report_node,
            f"{entry_label(entry)} sets `options[\"expires\"]`, which django-celery-beat's DatabaseScheduler drops",
            help="use `expire_seconds` (a number of seconds)",
            replacement=replacement,
        )

    def _why_no_fix(self, entry, seconds) -> str:
        if seconds is not None and plan_expiry(entry):
            return ("django-celery-beat is installed and no `beat_scheduler` is set here: its DatabaseScheduler "
                    "keeps only `expire_seconds`; set option `beat-scheduler` to \"database\" or \"default\" "
                    "for the fix")
        if entry.schedule.kind == "crontab" and entry.schedule.minute_missing:
            return "fix the crontab's missing `minute` first (CEL806): its period depends on it"
        if seconds is None:
            return "its period is not known here"
        if entry.dynamic:
            return "the entry is built in a loop: not fixed automatically"
        if not entry.options_editable:
            return "its options are defined elsewhere: not fixed automatically"
        return "the entry is built by code: not fixed automatically"

    def _database_scheduler(self, module: cst.Module, index):
        """True: DatabaseScheduler; False: Celery's own; None: django-celery-beat is installed
        but the scheduler is not set where we can see it (e.g. `celery beat -S ...`)."""
        choice = str(self.option("beat-scheduler")).lower()
        if choice == "database":
            return True
        if choice in ("default", "persistent"):
            return False
        if index is not None:
            value = index_setting(index, "beat_scheduler")
            if not is_unknown(value):
                return names_database_scheduler(value)
        value = module_scheduler(module)
        if value is not None:
            return names_database_scheduler(value)
        apps = index_setting(index, "INSTALLED_APPS") if index is not None else UNKNOWN
        if is_unknown(apps):
            apps = module_setting(module, self.names, "INSTALLED_APPS")
        if isinstance(apps, (list, tuple)) and "django_celery_beat" in apps:
            return None
        return False

    # -- django-celery-beat rows created in code or data migrations -----------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._scopes.append(node)
        aliases = set()
        for statement in node.body.body if isinstance(node.body, cst.IndentedBlock) else ():
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, cst.Assign) and _is_get_periodic_task_model(small.value):
                        aliases |= {t.target.value for t in small.targets if isinstance(t.target, cst.Name)}
        self._model_aliases.append(frozenset(aliases))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._scopes.pop()
        self._model_aliases.pop()

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value in _MODEL_METHODS):
            return
        manager = func.value
        if not (isinstance(manager, cst.Attribute) and manager.attr.value == "objects"):
            return
        model = manager.value
        aliases = self._model_aliases[-1] if self._model_aliases else frozenset()
        is_model = isinstance(model, cst.Name) and model.value in aliases
        if not is_model:
            local = frozenset(local_bindings(self._scopes[-1])) if self._scopes else frozenset()
            is_model = Resolver(self.names, local).resolve(model) in PERIODIC_TASK_MODEL
        if not is_model:
            return
        fields: dict[str, cst.BaseExpression] = {}
        for arg in node.args:
            if arg.star:
                return  # `**kwargs`: it may set an expiry
            if arg.keyword is not None:
                fields[arg.keyword.value] = arg.value
        defaults = fields.get("defaults")
        if defaults is not None:
            if not isinstance(defaults, cst.Dict) or not all(isinstance(e, cst.DictElement) for e in defaults.elements):
                return
            for element in defaults.elements:
                if isinstance(element.key, cst.SimpleString):
                    fields.setdefault(str(element.key.evaluated_value), element.value)
        if "expires" in fields or "expire_seconds" in fields or "one_off" in fields or "clocked" in fields:
            return
        self.report(
            node,
            "django-celery-beat `PeriodicTask` without `expire_seconds`: its runs pile up while workers are down",
            help="set `expire_seconds=<period in seconds>`",
        )


def _is_get_periodic_task_model(value: cst.BaseExpression) -> bool:
    """`apps.get_model("django_celery_beat", "PeriodicTask")` / `get_model("django_celery_beat.PeriodicTask")`."""
    if not isinstance(value, cst.Call):
        return False
    func = value.func
    name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else None
    if name != "get_model":
        return False
    strings = [a.value.evaluated_value for a in value.args if isinstance(a.value, cst.SimpleString)]
    joined = ".".join(str(s) for s in strings)
    return joined == "django_celery_beat.PeriodicTask"
