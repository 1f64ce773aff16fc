import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.constructs.results import setting_nodes
from celery_fix.constructs.test_code import is_test_path
from celery_fix.index.evaluate import evaluate


class EagerOutsideTestsRule(rule.CeleryRule):
    """
    ## What it does
    Checks for `task_always_eager = True` (`CELERY_TASK_ALWAYS_EAGER`, `CELERY_ALWAYS_EAGER`,
    `app.conf.task_always_eager`, `app.conf.update(task_always_eager=True)`) outside test code
    (files under `tests/`, `test_*.py`, `conftest.py`, test settings modules).

    ## Why is this bad?
    With `task_always_eager` every `.delay()` runs the task inline, in the caller's process: a
    web request waits for it, retries and time limits do not apply, nothing goes through the
    broker, and a failure propagates into the view (with `task_eager_propagates`). In a
    production settings module it silently turns Celery off.

    ## Example
    ```python
    # settings/production.py
    CELERY_TASK_ALWAYS_EAGER = True
    ```

    ## Use instead
    ```python
    # settings/test.py (or a pytest fixture)
    CELERY_TASK_ALWAYS_EAGER = True
    ```

    ## Fix safety
    No fix: a development settings module may want eager tasks on purpose (then silence it
    there with `# noqa: CEL306`). A value read from the environment is not reported.
    """

    CODE = "CEL306"
    NAME = "eager-outside-tests"
    MESSAGE = "`task_always_eager = True` outside test settings: tasks run inline, without a queue"
    HELP = "set it only in test settings"
    FIX_KIND = "lint"
    TRIGGERS = (b"ALWAYS_EAGER", b"always_eager")
    SKIPS_TEST_CODE = True

    VALID = [
        Valid("CELERY_TASK_ALWAYS_EAGER = False\n"),
        Valid("import os\n\nCELERY_TASK_ALWAYS_EAGER = os.environ.get('EAGER') == '1'\n"),
    ]
    INVALID = [
        Invalid("CELERY_TASK_ALWAYS_EAGER = True\n"),
        Invalid("from proj.celery import app\n\napp.conf.task_always_eager = True\n"),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        if is_test_path(self.context.path if self.context else ""):
            return
        for where, value in setting_nodes(node, self.names, "task_always_eager"):
            if evaluate(value, self.names.resolve) is True:
                self.report(where)
