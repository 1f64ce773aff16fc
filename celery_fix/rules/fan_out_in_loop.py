import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.constructs.side_effects import DEFAULT_SIDE_EFFECT_CALLS, scan_body
from celery_fix.constructs.task_bodies import module_tasks, may_define_task
from celery_fix.constructs.names import dotted_name


def _small_range(loop: cst.For) -> bool:
    """`for attempt in range(3)`: a retry or counting loop, not one over a collection."""
    it = loop.iter
    return (isinstance(it, cst.Call) and dotted_name(it.func) == "range"
            and all(isinstance(a.value, cst.Integer) for a in it.args))


class FanOutInLoopRule(rule.CeleryRule):
    """
    ## What it does
    Checks for a `for` loop in a task whose body, per item, has a side effect (e-mail, an HTTP
    write, a payment/webhook call: the CEL101 list and its option `side-effect-calls`) or writes
    to the database (`Model.objects.create/update/...`, `bulk_create`, `obj.save()`,
    `obj.delete()`), when the loop does not dispatch a subtask per item itself. Loops over a
    literal `range(n)` (retry/counting loops) and loops that only build data are not reported.

    ## Why is this bad?
    One task doing N units of work cannot be retried, time-limited or parallelised per unit: a
    failure at item 900 of 1000 retries (and re-sends) the first 899, one slow item holds up
    the rest, and the run time grows with the data until it hits the time limit or the broker's
    visibility timeout.

    ## Example
    ```python
    @shared_task
    def send_newsletter(issue_id):
        for user in User.objects.filter(subscribed=True):
            send_mail(subject, body, None, [user.email])
    ```

    ## Use instead
    ```python
    @shared_task
    def send_newsletter(issue_id):
        ids = User.objects.filter(subscribed=True).values_list("pk", flat=True)
        group(send_issue_to.s(issue_id, user_id) for user_id in ids).apply_async()
    ```

    ## Fix safety
    No fix: splitting a task is a design change. Off by default: on real projects most such
    loops are small batch updates (a few `save()` calls) that are fine in one task (see the README).
    """

    CODE = "CEL302"
    NAME = "fan-out-in-loop"
    MESSAGE = "task does one unit of work per loop item"
    HELP = "dispatch one subtask per item (`group(task.s(item_id) for ...)`)"
    FIX_KIND = "lint"
    ENABLED_BY_DEFAULT = False
    TRIGGERS = (b"task", b"Task")
    KEEP_WORDS = ()  # task bodies only (kept by decorators / `run`, with what they call)
    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        # `task` is in most files: with the index, only files defining one of its tasks
        return b"for " in source and (super().relevant(source, index, path) and may_define_task(source, index))

    OPTIONS = {"side-effect-calls": list(DEFAULT_SIDE_EFFECT_CALLS), "loop-writes": True}

    VALID = [
        Valid(
            """
            from celery import shared_task

            @shared_task
            def totals(ids):
                result = []
                for order in Order.objects.filter(pk__in=ids):
                    result.append(order.total)
                return result
            """
        ),
        Valid(
            """
            from celery import shared_task

            @shared_task
            def notify_all(ids):
                for user_id in ids:
                    notify.delay(user_id)
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from celery import shared_task
            from django.core.mail import send_mail

            @shared_task
            def newsletter():
                for user in User.objects.all():
                    send_mail("news", "body", None, [user.email])
            """
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        context = self.context
        patterns = tuple(self.option("side-effect-calls") or ())
        with_writes = bool(self.option("loop-writes"))
        for task in module_tasks(node, self.names, context.index if context else None, context.path if context else ""):
            scan = scan_body(task.function, self.names, patterns)
            per_loop: dict[int, list[str]] = {}
            for effect in scan.effects:
                if effect.loop is not None:
                    per_loop.setdefault(id(effect.loop), []).append(f"`{effect.label}(...)`")
            if with_writes:
                for write in scan.writes:
                    if write.loop is not None:
                        per_loop.setdefault(id(write.loop), []).append(f"`.{write.method}()`")
            for loop in scan.loops:
                found = per_loop.get(id(loop))
                if not found or id(loop) in scan.dispatch_loops or _small_range(loop):
                    continue
                what = ", ".join(dict.fromkeys(found))
                self.report(loop, f"task `{task.tail}` does {what} once per loop item")

