from typing import Optional

import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.index.evaluate import evaluate
from celery_fix.index.values import Call, timedelta_seconds
from celery_fix.constructs.results import backend_state, index_of, setting_nodes

DEFAULT_BOUND = 7 * 86400


class UnboundedResultExpiryRule(rule.CeleryRule):
    """
    ## What it does
    Checks for `result_expires` (`CELERY_RESULT_EXPIRES`, `CELERY_TASK_RESULT_EXPIRES`,
    `app.conf.result_expires`, `app.conf.update(result_expires=...)`) set to `None` or `0`, or
    longer than option `max-result-expires` (seconds, 7 days by default). With the
    ProjectIndex, no finding when the project provably has no result backend.

    ## Why is this bad?
    Celery's default is one day. `None` or `0` means results never expire, on every backend:
    the Redis and cache backends store keys without a TTL (`if self.expires:` guards the
    `SETEX`), and beat no longer installs `celery.backend_cleanup`, the daily job that deletes
    old results from backends without native expiry (the database backend), because it only
    does so when `result_expires` is truthy. Every task result then stays forever: Redis memory
    or the results table grows until something breaks.

    ## Example
    ```python
    CELERY_RESULT_EXPIRES = None
    ```

    ## Use instead
    ```python
    CELERY_RESULT_EXPIRES = 24 * 60 * 60  # Celery's default: one day
    ```

    ## Fix safety
    No fix: how long results must stay readable is the project's decision.
    """

    CODE = "CEL402"
    NAME = "unbounded-result-expiry"
    MESSAGE = "`result_expires` lets task results pile up in the result backend"
    HELP = "keep results a day (Celery's default, 86400) or less"
    TRIGGERS = (b"RESULT_EXPIRES", b"result_expires")
    OPTIONS = {"max-result-expires": DEFAULT_BOUND, "result-backend": "auto"}

    VALID = [
        Valid("CELERY_RESULT_EXPIRES = 3600\n"),
        Valid("from datetime import timedelta\n\nCELERY_RESULT_EXPIRES = timedelta(days=2)\n"),
        Valid("CELERY_RESULT_EXPIRES = env.int('RESULT_EXPIRES')\n"),
    ]
    INVALID = [
        Invalid("CELERY_RESULT_EXPIRES = None\n"),
        Invalid("from datetime import timedelta\n\nCELERY_RESULT_EXPIRES = timedelta(days=30)\n"),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        index = index_of(self)
        if index is not None and backend_state(index, self.option("result-backend")) == "none":
            return
        bound = float(self.option("max-result-expires"))
        for where, value in setting_nodes(node, self.names, "result_expires"):
            message = _problem(evaluate(value, self.names.resolve), bound)
            if message is not None:
                self.report(where, message)


def _problem(value, bound: float) -> Optional[str]:
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0):
        return f"`result_expires = {value!r}`: task results never expire, so the result backend grows forever"
    seconds = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value)
    elif isinstance(value, Call) and value.func == "timedelta":
        seconds = timedelta_seconds(value)
    if seconds is None or seconds <= bound:
        return None
    return f"`result_expires` keeps every task result for {_human(seconds)} (more than {_human(bound)})"


def _human(seconds: float) -> str:
    days = seconds / 86400
    return f"{days:g} days" if days >= 1 else f"{seconds:g} s"
