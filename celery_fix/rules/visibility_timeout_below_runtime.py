from typing import Any, Optional

import libcst as cst
from fixit import Valid

from celery_fix.ruleset import base as rule
from celery_fix.constructs.results import same_file, setting_nodes
from celery_fix.constructs.test_code import is_test_path
from celery_fix.constructs.time_limits import longest_limit
from celery_fix.index.values import is_unknown

# kombu's defaults (kombu/transport/redis.py Channel.visibility_timeout, SQS/__init__.py
# Channel.default_visibility_timeout)
DEFAULT_VISIBILITY = {"redis": 3600, "sqs": 1800}


def transport(url: Any) -> Optional[str]:
    """"redis" or "sqs" for a broker URL of those transports, else None."""
    if not isinstance(url, str) or is_unknown(url):
        return None
    scheme = url.split(";")[0].strip().split("://", 1)[0].lower()
    if scheme in ("redis", "rediss", "redis+socket", "sentinel"):
        return "redis"
    if scheme == "sqs":
        return "sqs"
    return None


class VisibilityTimeoutBelowRuntimeRule(rule.CeleryRule):
    """
    ## What it does
    Checks, on a Redis or SQS broker (`broker_url`, or option `broker-transport` when the URL is
    read from the environment), that `broker_transport_options["visibility_timeout"]` (unset:
    kombu's default, 3600 s for Redis, 1800 s for SQS) is longer than the longest time a task
    may run: the largest `time_limit` (else `soft_time_limit`) of any task (effective options)
    or of the global settings. It also reports `acks_late` tasks that have no time limit at all
    on such a broker. The finding is on `broker_transport_options`, or on `broker_url` when
    there is none.

    ## Why is this bad?
    Redis and SQS do not know that a worker is still busy with a message: when it is not
    acknowledged within the visibility timeout, they hand it to another worker. A task that may
    run longer than the timeout (or, with `acks_late`, forever) then runs twice at once, and on
    Redis again every timeout.

    ## Example
    ```python
    CELERY_BROKER_URL = "redis://cache:6379/0"
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 600}

    @shared_task(time_limit=1800)
    def rebuild_index(): ...
    ```

    ## Use instead
    ```python
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 3600}  # above every time limit
    ```

    ## Fix safety
    No fix: a longer timeout also delays the redelivery of messages of workers that really
    died. Needs the ProjectIndex (tasks and settings of the whole project). Not reported in
    test code, nor when the broker URL, the options or a task's limit cannot be read.
    """

    CODE = "CEL307"
    NAME = "visibility-timeout-below-runtime"
    MESSAGE = "the broker's visibility timeout is shorter than a task may run"
    HELP = "raise `visibility_timeout` above the longest time limit"
    FIX_KIND = "lint"
    NEEDS_INDEX = True
    TRIGGERS = (b"BROKER", b"broker")
    SKIPS_TEST_CODE = True
    OPTIONS = {"broker-transport": "auto"}

    VALID = [
        Valid('CELERY_BROKER_URL = "redis://cache:6379/0"\n'),  # no index: the tasks are unknown
    ]
    INVALID = []  # needs the ProjectIndex: the snapshots

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        context = self.context
        index = context.index if context else None
        if index is None or not context.path or is_test_path(context.path):
            return
        settings = getattr(index, "settings", None) or {}
        url = settings.get("broker_url")
        kind = self.option("broker-transport")
        kind = kind if kind in DEFAULT_VISIBILITY else transport(url.value if url is not None else None)
        if kind is None:
            return
        options = settings.get("broker_transport_options")
        anchor_key = "broker_transport_options" if options is not None else "broker_url"
        anchor = options if options is not None else url
        if anchor is None or not same_file(anchor.path, context.path):
            return
        timeout: Any = DEFAULT_VISIBILITY[kind]
        where = f"kombu's default for {kind}"
        if options is not None:
            if not isinstance(options.value, dict):
                return
            if "visibility_timeout" in options.value:
                timeout, where = options.value["visibility_timeout"], "set in `broker_transport_options`"
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
            return
        problem = self._problem(index, float(timeout), where)
        if problem is None:
            return
        nodes = setting_nodes(node, self.names, anchor_key)
        if nodes:
            self.report(nodes[-1][0], problem[0], help=problem[1])

    def _problem(self, index: Any, timeout: float, where: str) -> tuple[str, str] | None:
        """The message and its help, when some task may outlive the visibility timeout."""
        longest: tuple[float, str] | None = None
        unlimited_late: list[str] = []
        global_late = (getattr(index, "settings", None) or {}).get("task_acks_late")
        for task in getattr(index, "tasks", ()) or ():
            if any(is_unknown(task.options.get(k)) for k in ("time_limit", "soft_time_limit")):
                continue
            limit = longest_limit(task, index)
            if limit is None:
                late = task.options.get("acks_late")
                if late is True or (late is None and global_late is not None and global_late.value is True):
                    unlimited_late.append(task.name or task.qualname)
                continue
            if longest is None or limit > longest[0]:
                longest = (limit, task.name or task.qualname)
        if longest is not None and longest[0] > timeout:
            message = f"the broker's visibility timeout ({timeout:g} s) is shorter than task `{longest[1]}` may run ({longest[0]:g} s)"
            return message, f"raise `visibility_timeout` ({where}) above the longest time limit"
        if unlimited_late:
            return (f"`acks_late` task `{unlimited_late[0]}` has no time limit under a {timeout:g} s visibility timeout",
                    f"give it a `time_limit` below the timeout ({where})")
        return None
