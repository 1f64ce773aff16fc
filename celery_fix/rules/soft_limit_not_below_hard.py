import re
from typing import Any

import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.constructs.results import setting_nodes
from celery_fix.constructs.task_bodies import may_define_task, module_tasks
from celery_fix.constructs.test_code import is_test_path
from celery_fix.constructs.time_limits import effective_limit, number, task_limit
from celery_fix.index.evaluate import evaluate


# a setting is reported where it is assigned (`CELERY_TASK_TIME_LIMIT = 0`, `app.conf.update(
# task_time_limit=0)`, constructs/results.setting_nodes), not where it is read (`timeout=settings.
# CELERY_TASK_TIME_LIMIT`)
_LIMIT_SET = re.compile(rb"time_limit[\s\\]*[=:]", re.IGNORECASE)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class SoftLimitNotBelowHardRule(rule.CeleryRule):
    """
    ## What it does
    Checks for a `soft_time_limit` at or above the `time_limit` that applies to the same task
    (both on the task, or one on the task and the other from the `task_time_limit` /
    `task_soft_time_limit` settings), for the same pair in the settings, and for a limit of `0`.

    ## Why is this bad?
    The soft limit exists to raise `SoftTimeLimitExceeded` inside the task *before* the worker
    kills the process at the hard limit, so the task can clean up. At or above the hard limit it
    never fires: the process is killed mid-write instead. A limit of `0` is no limit at all
    (Celery tests the value for truth), which is rarely what the author meant.

    ## Example
    ```python
    @shared_task(soft_time_limit=600, time_limit=300)
    def export(report_id): ...
    ```

    ## Use instead
    ```python
    @shared_task(soft_time_limit=300, time_limit=360)
    def export(report_id): ...
    ```

    ## Fix safety
    No fix: which of the two numbers is wrong is the author's call. Settings in test code are
    not reported. Limits set to an expression that cannot be read are skipped.
    """

    CODE = "CEL305"
    NAME = "soft-limit-not-below-hard"
    MESSAGE = "`soft_time_limit` is not below `time_limit`: the soft limit never fires"
    HELP = "keep the soft limit below the hard one"
    FIX_KIND = "lint"
    TRIGGERS = (b"time_limit", b"TIME_LIMIT")

    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        # a task defined here, or a limit setting assigned here
        return super().relevant(source, index, path) and (
            may_define_task(source, index) or _LIMIT_SET.search(source) is not None
        )

    VALID = [
        Valid(
            """
            from celery import shared_task

            @shared_task(soft_time_limit=60, time_limit=90)
            def sync(): ...
            """
        ),
        Valid("CELERY_TASK_SOFT_TIME_LIMIT = 60\nCELERY_TASK_TIME_LIMIT = 90\n"),
    ]
    INVALID = [
        Invalid(
            """
            from celery import shared_task

            @shared_task(soft_time_limit=120, time_limit=90)
            def sync(): ...
            """
        ),
        Invalid(
            """
            from celery import shared_task

            @shared_task(time_limit=0)
            def sync(): ...
            """
        ),
        Invalid("CELERY_TASK_SOFT_TIME_LIMIT = 600\nCELERY_TASK_TIME_LIMIT = 600\n"),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        context = self.context
        index = context.index if context else None
        path = context.path if context else ""
        for task in module_tasks(node, self.names, index, path):
            zero = [key for key in ("soft_time_limit", "time_limit") if task_limit(task, key, self.names) == 0]
            if zero:
                self.report(task.report_node, f"task `{task.tail}` sets `{zero[0]}=0`, which is no limit at all",
                            help="use a positive number of seconds or leave it out")
                continue
            soft, soft_where = effective_limit(task, "soft_time_limit", self.names, index)
            hard, hard_where = effective_limit(task, "time_limit", self.names, index)
            if not (_is_number(soft) and _is_number(hard)) or soft < hard:
                continue
            if soft_where == hard_where == "setting":
                continue  # reported at the settings
            soft_from = ", from `task_soft_time_limit`" if soft_where == "setting" else ""
            hard_from = ", from `task_time_limit`" if hard_where == "setting" else ""
            self.report(task.report_node, f"task `{task.tail}`: `soft_time_limit` ({soft:g} s{soft_from}) is not below "
                        f"`time_limit` ({hard:g} s{hard_from})")
        if is_test_path(path):
            return
        soft_nodes = setting_nodes(node, self.names, "task_soft_time_limit")
        hard_nodes = setting_nodes(node, self.names, "task_time_limit")
        for key, nodes in (("task_soft_time_limit", soft_nodes), ("task_time_limit", hard_nodes)):
            for where, value in nodes:
                if number(evaluate(value, self.names.resolve), self.names) == 0:
                    self.report(where, f"`{key} = 0` is no limit at all", help="use a positive number of seconds or leave it out")
        if soft_nodes and hard_nodes:
            soft = number(evaluate(soft_nodes[-1][1], self.names.resolve), self.names)
            hard = number(evaluate(hard_nodes[-1][1], self.names.resolve), self.names)
            if _is_number(soft) and _is_number(hard) and soft and hard and soft >= hard:
                self.report(soft_nodes[-1][0], f"`task_soft_time_limit` ({soft:g} s) is not below `task_time_limit` "
                            f"({hard:g} s): the soft limit never fires")
