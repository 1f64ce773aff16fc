import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.constructs.side_effects import DEFAULT_SIDE_EFFECT_CALLS, scan_body
from celery_fix.constructs.task_bodies import module_tasks, may_define_task


class MonolithicTaskRule(rule.CeleryRule):
    """
    ## What it does
    Checks for tasks that do several distinct stages in one body: an external fetch
    (`requests.get`, `httpx.get`, `urlopen`, a session's `get`), side effects (the CEL101 list),
    and database writes to several models. A task is reported when it has at least
    `min-stages` of the stages fetch / side effect / write (default 3), or writes to at least
    `min-models` distinct models (default 3) and has one more stage.

    ## Why is this bad?
    Each stage fails, retries and takes time differently. In one task, a failed e-mail retries
    the fetch and the writes too (see CEL101/CEL102), the time limit must fit the slowest
    stage, and nothing can run on a queue of its own.

    ## Example
    ```python
    @shared_task
    def import_order(url):
        data = requests.get(url, timeout=10).json()
        order = Order.objects.create(**data["order"])
        send_mail("Imported", str(order.pk), None, [data["email"]])
    ```

    ## Use instead
    ```python
    chain(fetch_order.s(url), store_order.s(), notify_imported.s()).apply_async()
    ```

    ## Fix safety
    No fix: splitting a task is a design change. Off by default: a judgement call, and the
    stages are counted from calls in the task body only (helpers are not followed).
    """

    CODE = "CEL303"
    NAME = "monolithic-task"
    MESSAGE = "task does several stages in one body"
    HELP = "split it into tasks joined by a `chain`"
    FIX_KIND = "lint"
    ENABLED_BY_DEFAULT = False
    TRIGGERS = (b"task", b"Task")
    KEEP_WORDS = ()  # task bodies only (kept by decorators / `run`, with what they call)
    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        # `task` is in most files: with the index, only files defining one of its tasks
        return super().relevant(source, index, path) and may_define_task(source, index)

    OPTIONS = {"min-stages": 3, "min-models": 3, "side-effect-calls": list(DEFAULT_SIDE_EFFECT_CALLS)}

    VALID = [
        Valid(
            """
            import requests
            from celery import shared_task

            @shared_task
            def fetch(url):
                return requests.get(url, timeout=5).json()
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            import requests
            from celery import shared_task
            from django.core.mail import send_mail

            @shared_task
            def import_order(url):
                data = requests.get(url, timeout=10).json()
                order = Order.objects.create(**data)
                send_mail("Imported", str(order.pk), None, [data["email"]])
            """
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        context = self.context
        patterns = tuple(self.option("side-effect-calls") or ())
        min_stages = int(self.option("min-stages"))
        min_models = int(self.option("min-models"))
        for task in module_tasks(node, self.names, context.index if context else None, context.path if context else ""):
            scan = scan_body(task.function, self.names, patterns)
            models = sorted({w.model for w in scan.writes if not w.model.startswith("<") and w.model != "?"})
            stages = []
            if scan.fetches:
                stages.append("an external fetch")
            if scan.effects:
                stages.append("side effects")
            if scan.writes:
                stages.append(f"writes to {', '.join(f'`{m}`' for m in models)}" if models else "database writes")
            if len(stages) < min_stages and not (len(models) >= min_models and len(stages) >= 2):
                continue
            self.report(task.report_node, f"task `{task.tail}` does {', '.join(stages)} in one body")
