import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.constructs.argument_scan import ArgumentScan, task_parameters
from celery_fix.constructs.arguments import Argument, Kind, is_id_param
from celery_fix.constructs.dispatch import TRIGGERS


class OrmObjectArgumentRule(ArgumentScan, rule.CeleryRule):
    """
    ## What it does
    Checks for dispatches (`delay`, `apply_async(args=..., kwargs=...)`, `s`/`si`/`signature`,
    signatures in canvases, `send_task(args=...)`) that pass a model instance: a name bound from
    `Model.objects.get/first/last/create/earliest/latest(...)` (also at the end of a queryset
    chain), `get_or_create(...)[0]` or its tuple unpacking, `get_object_or_404(...)`, a model
    class called directly (defined in the module on `models.Model`, or imported from a `models`
    module), `request.user`, `self.request.user`, `self.get_object()`, `form.save()` /
    `serializer.save()`, a signal receiver's `instance`, a loop variable over a queryset, or a
    parameter annotated with a model class.

    ## Why is this bad?
    Celery's default JSON serializer cannot encode a model instance: `.delay(order)` raises
    `kombu.exceptions.EncodeError` in the caller. With pickle it is sent, but the worker gets a
    snapshot from dispatch time: it saves stale fields over newer data, and the message carries
    the whole object instead of an id.

    ## Example
    ```python
    order = Order.objects.get(pk=order_id)
    send_receipt.delay(order)
    ```

    ## Use instead
    ```python
    send_receipt.delay(order.pk)  # and `Order.objects.get(pk=order_id)` in the task
    ```

    ## Fix safety
    Unsafe: the fix passes `obj.pk` only when the task (found through the ProjectIndex, or
    defined in the same module) already takes that argument as an id (`*_id`, `*_pk`, `pk`,
    `id`), i.e. the call site is out of step with the task; a task that may also be called with
    an object elsewhere could still expect one. Otherwise the rule reports only: change the task
    to take the id and re-fetch the object. A name assigned to different things in one
    function is not followed.
    """

    CODE = "CEL601"
    NAME = "orm-object-argument"
    MESSAGE = "dispatch passes a model instance"
    HELP = "pass its id and re-fetch the object in the task"
    FIX_TITLE = "Pass `obj.pk`"
    FIX_KIND = "unsafe"
    SEVERITY = "error"
    TRIGGERS = TRIGGERS
    # neither the arguments sent nor the task's parameters (`bind`) change
    SURVIVES_FIXES_OF = rule.DECORATOR_KEYWORD_FIXES

    VALID = [
        Valid(
            """
            def place(order_id):
                order = Order.objects.get(pk=order_id)
                send_receipt.delay(order.pk)
            """
        ),
        Valid(
            """
            from shop.schemas import Order  # not a models module

            def place(data):
                order = Order(**data)
                send_receipt.delay(order)
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            def place(order_id):
                order = Order.objects.get(pk=order_id)
                send_receipt.delay(order)
            """
        ),
        Invalid(
            """
            def profile(request):
                refresh.apply_async(args=(request.user,))
            """
        ),
    ]

    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        # dispatches only: none where the index saw no call that could send a task
        return not rule.sends_no_task(index, path) and super().relevant(source, index, path)

    def check_argument(self, call: cst.Call, argument: Argument, kind: Kind) -> None:
        if not kind.model:
            return
        index = self.context.index if self.context else None
        params = task_parameters(call, self.names, self._module, index)
        param = None
        if params is not None:
            if argument.keyword is not None:
                param = argument.keyword if argument.keyword in params else None
            elif argument.position is not None and argument.position < len(params):
                param = params[argument.position]
        fixable = param is not None and is_id_param(param) and isinstance(
            argument.value, (cst.Name, cst.Attribute, cst.Call))
        message = f"dispatch passes {kind.what}"
        if fixable:
            replacement = cst.Attribute(value=argument.value, attr=cst.Name("pk"))
            self.report(argument.value, message, help=f"the task takes `{param}`: pass `.pk`",
                        replacement=replacement, unsafe=True)
        else:
            self.report(argument.value, message)
