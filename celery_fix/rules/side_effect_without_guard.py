import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.constructs.side_effects import DEFAULT_SIDE_EFFECT_CALLS, scan_body
from celery_fix.constructs.task_bodies import module_tasks, may_define_task

_KIND = {"email": "sends e-mail", "http": "makes an HTTP write", "call": "calls"}


class SideEffectWithoutGuardRule(rule.CeleryRule):
    """
    ## What it does
    Checks for tasks that send e-mail (`send_mail`, `send_mass_mail`, `mail_admins`,
    `mail_managers`, `EmailMessage(...).send()`, `EmailMultiAlternatives`, `user.email_user()`),
    make an HTTP write (`requests`/`httpx` `post`/`put`/`patch`/`delete`, `request("POST", ...)`,
    also on a session or client bound in the task) or call a payment/webhook function (option
    `side-effect-calls`, glob patterns over the dotted name: `*.charge`, `*.refund`,
    `stripe.*.create`, ...) with no idempotency guard earlier in the task body.

    A guard is: an `if` whose body ends in `return`/`raise` (an early exit: "already sent"), a
    `get_or_create`/`update_or_create` call, `select_for_update()`, a lock (`cache.lock(...)`,
    `with redis.lock(...)`, `lock.acquire()`, any `*_lock(...)`/`*Lock(...)` call) or `cache.add(...)`,
    and, on the call itself, an `idempotency_key=` keyword or an `Idempotency-Key` header.

    ## Why is this bad?
    Celery delivers a message at least once: a worker that dies or loses its connection after
    the side effect but before the acknowledgement (always with `acks_late`, and on every
    retry) runs the task again. Without a check that the work was already done, the customer
    gets the e-mail twice, the webhook fires twice, the card is charged twice.

    ## Example
    ```python
    @shared_task
    def send_receipt(order_id):
        order = Order.objects.get(pk=order_id)
        send_mail("Your receipt", render(order), None, [order.email])
    ```

    ## Use instead
    ```python
    @shared_task
    def send_receipt(order_id):
        order = Order.objects.get(pk=order_id)
        if order.receipt_sent_at is not None:
            return  # a redelivered message: already done
        send_mail("Your receipt", render(order), None, [order.email])
        Order.objects.filter(pk=order_id).update(receipt_sent_at=now())
    ```

    ## Fix safety
    No fix: what "already done" means is the task's business. The check is per task body, in
    source order (a guard anywhere before the call counts); side effects in helper functions the
    task calls are not followed. Names are resolved through the module's imports.
    """

    CODE = "CEL101"
    NAME = "side-effect-without-guard"
    MESSAGE = "task has a side effect with no idempotency guard before it"
    HELP = "check that it was not done yet (an early `return`, `get_or_create`, a lock or `cache.add`, an idempotency key)"
    FIX_KIND = "lint"
    TRIGGERS = (b"task", b"Task")
    KEEP_WORDS = ()  # task bodies only: tasks are kept by their decorators, class tasks by `run`, and what they call by name
    # which functions are tasks and what their bodies do stay the same
    SURVIVES_FIXES_OF = rule.DECORATOR_KEYWORD_FIXES
    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        # `task` is in most files: with the index, only files defining one of its tasks
        return super().relevant(source, index, path) and may_define_task(source, index)

    OPTIONS = {"side-effect-calls": list(DEFAULT_SIDE_EFFECT_CALLS)}

    VALID = [
        Valid(
            """
            from django.core.mail import send_mail

            def notify(user):  # not a task
                send_mail("hi", "body", None, [user.email])
            """
        ),
        Valid(
            """
            from celery import shared_task
            from django.core.mail import send_mail

            @shared_task
            def notify(user_id):
                user = User.objects.get(pk=user_id)
                if user.notified:
                    return
                send_mail("hi", "body", None, [user.email])
            """
        ),
        Valid(
            """
            import requests
            from celery import shared_task

            @shared_task
            def charge(order_id):
                requests.post("https://pay.example/charge", headers={"Idempotency-Key": str(order_id)})
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from celery import shared_task
            from django.core.mail import send_mail

            @shared_task
            def notify(user_id):
                user = User.objects.get(pk=user_id)
                send_mail("hi", "body", None, [user.email])
            """
        ),
        Invalid(
            """
            import httpx
            from celery import shared_task

            @shared_task
            def hook(url, payload):
                httpx.post(url, json=payload)
            """
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        context = self.context
        patterns = tuple(self.option("side-effect-calls") or ())
        for task in module_tasks(node, self.names, context.index if context else None, context.path if context else ""):
            for effect in scan_body(task.function, self.names, patterns).effects:
                if effect.guarded:
                    continue
                self.report(
                    effect.call,
                    f"task `{task.tail}` {_KIND[effect.kind]} `{effect.label}(...)` with no idempotency guard",
                )
