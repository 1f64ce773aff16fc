import libcst as cst
from fixit import Valid

from celery_fix.ruleset import base as rule
from celery_fix.constructs.task_bodies import module_tasks, may_define_task
from celery_fix.index.values import is_unknown

DEFAULT_PREFETCH = 4  # Celery's worker_prefetch_multiplier


class AcksLatePrefetchRule(rule.CeleryRule):
    """
    ## What it does
    Checks for `acks_late` tasks (in the decorator, a task class, or inherited from a `base=`
    class) in a project whose `worker_prefetch_multiplier` is not 1 (unset: Celery's 4).

    ## Why is this bad?
    Each worker process reserves `worker_prefetch_multiplier` messages ahead. With `acks_late`
    those reserved messages stay unacknowledged behind a long task: they wait for it instead of
    going to an idle worker, and a crash redelivers all of them. Celery's documentation pairs
    `acks_late` for long tasks with a prefetch multiplier of 1.

    ## Example
    ```python
    # settings.py: no CELERY_WORKER_PREFETCH_MULTIPLIER
    @shared_task(acks_late=True)
    def render_report(report_id): ...
    ```

    ## Use instead
    ```python
    # settings.py
    CELERY_WORKER_PREFETCH_MULTIPLIER = 1
    ```

    ## Fix safety
    No fix: the setting is per worker, and `--prefetch-multiplier` on the worker's command line
    (which this scan cannot see) may already set it. Needs the ProjectIndex for the settings;
    quiet when the setting is set to something it cannot read.
    """

    CODE = "CEL905"
    NAME = "acks-late-prefetch"
    MESSAGE = "`acks_late` task while `worker_prefetch_multiplier` is {value}"
    HELP = "set `worker_prefetch_multiplier = 1` (or start the worker with `--prefetch-multiplier=1`)"
    NEEDS_INDEX = True
    TRIGGERS = (b"acks_late", b"base=")
    SURVIVES_FIXES_OF = rule.DECORATOR_KEYWORD_FIXES  # `acks_late` stays as it was

    VALID = [
        Valid(
            """
            from celery import shared_task

            @shared_task(acks_late=True)
            def render(report_id): ...  # no index: the prefetch setting is unknown
            """
        ),
    ]
    INVALID = []  # needs the ProjectIndex: the snapshots

    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        # only files that may define a task
        return super().relevant(source, index, path) and may_define_task(source, index)

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        context = self.context
        index = context.index if context else None
        if index is None or not context.path:
            return
        found = (getattr(index, "settings", None) or {}).get("worker_prefetch_multiplier")
        value = DEFAULT_PREFETCH if found is None else found.value
        if is_unknown(value) or value == 1 or not isinstance(value, int):
            return
        for task in module_tasks(node, self.names, index, context.path):
            if task.value("acks_late", self.names) is True:
                source = task.source("acks_late")
                message = self.MESSAGE.format(value=value)
                if source:
                    message += f" (`acks_late` from `{source.rsplit('.', 1)[-1]}`)"
                self.report(task.report_node, message)
