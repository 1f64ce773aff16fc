import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.constructs.argument_scan import ArgumentScan
from celery_fix.constructs.arguments import Argument, Kind
from celery_fix.constructs.dispatch import TRIGGERS


class UnserializableArgumentRule(ArgumentScan, rule.CeleryRule):
    """
    ## What it does
    Checks for dispatches (`delay`, `apply_async`, `s`/`si`/`signature`, `send_task`) that pass
    something no task serializer should carry: a queryset (`Model.objects.filter(...)`, `.all()`,
    `values_list(...)`, a name bound to one), an open file (`open(...)`, `with open(...) as f`),
    an upload (`request.FILES[...]`, `request.FILES.get(...)`, a parameter annotated
    `UploadedFile`), a lambda, a function object, a generator, `self`, or the `request`.

    ## Why is this bad?
    JSON cannot encode any of them: the dispatch raises `kombu.exceptions.EncodeError` at run
    time, often only on the code path nobody tested. Under pickle, a queryset is evaluated (or
    re-run) at a different time, a file handle or request cannot be pickled at all, and a
    function is sent by name, tying the message to the code version.

    ## Example
    ```python
    export.delay(Order.objects.filter(paid=True))
    ```

    ## Use instead
    ```python
    export.delay(list(Order.objects.filter(paid=True).values_list("pk", flat=True)))
    ```
    (files: save the upload and pass its path or storage name).

    ## Fix safety
    No fix: what to pass instead (ids, a path, a name) depends on the task.
    """

    CODE = "CEL602"
    NAME = "unserializable-argument"
    MESSAGE = "dispatch passes a value the serializer cannot encode"
    HELP = "pass plain data instead (ids, a path, a name)"
    FIX_KIND = "lint"
    SEVERITY = "error"
    TRIGGERS = TRIGGERS

    VALID = [
        Valid(
            """
            def export_paid():
                export.delay(list(Order.objects.filter(paid=True).values_list("pk", flat=True)))
            """
        ),
        Valid(
            """
            def later(callback_name):
                run.delay(callback_name)
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            def export_paid():
                export.delay(Order.objects.filter(paid=True))
            """
        ),
        Invalid(
            """
            def upload(request):
                process.delay(request.FILES["file"])
            """
        ),
        Invalid(
            """
            def schedule():
                run.delay(lambda: 1)
            """
        ),
    ]

    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        # dispatches only: none where the index saw no call that could send a task
        return not rule.sends_no_task(index, path) and super().relevant(source, index, path)

    def check_argument(self, call: cst.Call, argument: Argument, kind: Kind) -> None:
        if not kind.model:
            self.report(argument.value, f"dispatch passes {kind.what}, which JSON cannot encode (`EncodeError`)")
