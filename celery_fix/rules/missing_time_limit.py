import libcst as cst
from fixit import Valid

from celery_fix.ruleset import base as rule
from celery_fix.codemods.time_limits import DEFAULT_HARD, DEFAULT_SOFT, add_limits
from celery_fix.constructs.task_bodies import ABSENT, module_tasks, may_define_task
from celery_fix.constructs.time_limits import LIMITS, global_limit, task_limit


class MissingTimeLimitRule(rule.CeleryRule):
    """
    ## What it does
    Checks for tasks with neither `time_limit` nor `soft_time_limit` (in the decorator, the task
    class, or inherited from a `base=` class) in a project that sets neither `task_time_limit`
    nor `task_soft_time_limit` (nor `task_annotations`, which can set them per task).

    ## Why is this bad?
    Celery's default is no limit. A task stuck on a socket without a timeout, a lock or an
    endless loop holds its worker process forever: the pool drains one process at a time until
    the queue stops moving, and on Redis/SQS the message is redelivered and run again while the
    first run still hangs (see CEL307).

    ## Example
    ```python
    @shared_task
    def import_catalogue(url): ...
    ```

    ## Use instead
    ```python
    @shared_task(soft_time_limit=300, time_limit=360)
    def import_catalogue(url): ...
    ```
    (`SoftTimeLimitExceeded` is raised in the task at the soft limit, so it can clean up; the
    worker process is killed at the hard limit.) A project-wide `CELERY_TASK_TIME_LIMIT` works too.

    ## Fix safety
    Unsafe: the fix adds `soft_time_limit`/`time_limit` (options `soft-time-limit`, default 300,
    and `time-limit`, default 360; set one to 0 to leave it out). A task that legitimately runs
    longer is then killed, and code that does not expect `SoftTimeLimitExceeded` may leave work
    half done. Class-based tasks, preset decorators and a limit written as `None` are reported
    without a fix. Needs the
    ProjectIndex for the global settings; quiet without it. Off by default: most real projects
    set no limit anywhere, so it reports nearly every task (see the README).
    """

    CODE = "CEL301"
    NAME = "missing-time-limit"
    MESSAGE = "task has no time limit"
    HELP = "set `soft_time_limit`/`time_limit` on the task, or `task_time_limit` for the project"
    FIX_TITLE = "Add `soft_time_limit`/`time_limit`"
    FIX_KIND = "unsafe"
    NEEDS_INDEX = True
    ENABLED_BY_DEFAULT = False
    TRIGGERS = (b"task", b"Task")
    KEEP_WORDS = ()  # task definitions only (kept by their decorators / `run`)
    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        # `task` is in most files: with the index, only files defining one of its tasks
        return super().relevant(source, index, path) and may_define_task(source, index)

    OPTIONS = {"soft-time-limit": DEFAULT_SOFT, "time-limit": DEFAULT_HARD}

    VALID = [
        Valid(
            """
            from celery import shared_task

            @shared_task
            def sync(): ...  # no index: a global limit may be set in the settings
            """
        ),
    ]
    INVALID = []  # needs the ProjectIndex: the snapshots

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        context = self.context
        index = context.index if context else None
        if index is None:
            return
        settings = getattr(index, "settings", None) or {}
        if "task_annotations" in settings or any(global_limit(index, key) is not ABSENT for key in LIMITS):
            return
        soft = int(self.option("soft-time-limit") or 0) or None
        hard = int(self.option("time-limit") or 0) or None
        for task in module_tasks(node, self.names, index, context.path):
            if any(task_limit(task, key, self.names) not in (ABSENT, None) for key in LIMITS):
                continue
            message = f"task `{task.tail}` has no time limit (nor does the project): a hung run holds its worker forever"
            replacement = None
            decorator = task.decorator.decorator if task.decorator is not None else None
            explicit_none = any(task.written(key) is not None for key in LIMITS)  # `time_limit=None`: a choice
            if decorator is not None and (soft or hard) and not explicit_none and self._fixable(decorator):
                replacement = add_limits(decorator, soft, hard)
            self.report(task.report_node, message, replacement=replacement, unsafe=True)

    def _fixable(self, decorator: cst.Decorator) -> bool:
        expr = decorator.decorator
        target = expr.func if isinstance(expr, cst.Call) else expr
        binding = self.names.binding_of(target)
        return binding is None or binding.kind != "task_preset"
