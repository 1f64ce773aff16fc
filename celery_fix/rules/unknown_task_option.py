import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.constructs.dispatch import as_dispatch
from celery_fix.constructs.task_bodies import CELERY_TASK_CLASSES, module_tasks, may_define_task
from celery_fix.constructs.task_options import (
    APPLY_ASYNC_OPTIONS,
    DEFAULT_EXTRA_OPTIONS,
    KNOWN_TASK_OPTIONS,
    close_match,
)


class UnknownTaskOptionRule(rule.CeleryRule):
    """
    ## What it does
    Checks for task decorator keywords that Celery does not know (e.g. `ignore_results=True`,
    `max_retry=5`, `soft_timelimit=30`), and for `apply_async` keywords that are a close
    misspelling of a known option (`countdwon=`). The known lists are Celery's `Task` attributes,
    the decorator's own keywords and `apply_async`/`send_task`'s options.

    Keywords a project base class defines (`base=` a class in the project, through the
    ProjectIndex, also in other modules) are not reported; a base class the scan cannot read
    (from an installed extension) makes the rule quiet for that task. Extension options listed in
    option `extra-task-options` (default: celery-once's and celery-singleton's `once`,
    `lock_expiry`, `unique_on`, `raise_on_duplicate`, `graceful`, `timeout`) are never reported.

    ## Why is this bad?
    Celery copies every decorator keyword onto the task class, so a misspelt option raises no
    error: `ignore_results=True` stores results as before, `max_retry=5` leaves three retries.
    The author believes the task is configured; it is not. An unknown `apply_async` keyword
    ends up in the message properties and is ignored the same way.

    ## Example
    ```python
    @shared_task(ignore_results=True)
    def ping(): ...
    ```

    ## Use instead
    ```python
    @shared_task(ignore_result=True)
    def ping(): ...
    ```

    ## Fix safety
    Unsafe: the fix renames the keyword when exactly one known option is close to it, which
    switches the option on for real (results are no longer stored, retries change). Without a
    single close match it only reports. `apply_async` keywords are reported only as typos of a
    known option (custom routers may read other message options).
    """

    CODE = "CEL308"
    NAME = "unknown-task-option"
    MESSAGE = "task option that Celery does not know"
    HELP = "check the spelling"
    FIX_TITLE = "Rename to the known option"
    FIX_KIND = "unsafe"
    TRIGGERS = (b"task", b"apply_async")
    KEEP_WORDS = (b"apply_async",)  # task decorators (kept as decorators) and `apply_async(...)` options
    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        # `task` is in most files: with the index, only files defining one of its tasks
        if b"apply_async" in source and not rule.sends_no_task(index, path):
            return True
        return super().relevant(source, index, path) and may_define_task(source, index)

    OPTIONS = {"extra-task-options": list(DEFAULT_EXTRA_OPTIONS)}

    VALID = [
        Valid(
            """
            from celery import shared_task

            @shared_task(ignore_result=True, bind=True, autoretry_for=(IOError,))
            def ping(self): ...
            """
        ),
        Valid(
            """
            from celery import shared_task
            from celery_once import QueueOnce

            @shared_task(base=QueueOnce, once={"graceful": True}, lock_ttl=60)
            def ping(): ...
            """
        ),
        Valid("ping.apply_async(countdown=5, my_router_hint='x')\n"),
    ]
    INVALID = [
        Invalid(
            """
            from celery import shared_task

            @shared_task(ignore_results=True)
            def ping(): ...
            """,
            expected_replacement=None,
        ),
        Invalid("ping.apply_async(countdwon=5)\n"),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        context = self.context
        index = context.index if context else None
        known = KNOWN_TASK_OPTIONS | set(self.option("extra-task-options") or ())
        for task in module_tasks(node, self.names, index, context.path if context else ""):
            if task.decorator is None or task.decorator.call is None:
                continue  # a class task's attributes are its own business; a preset is checked where it is made
            base = task.decorator.options.get("base")
            defined: set[str] = set()
            if base is not None and self.names.resolve(base) not in CELERY_TASK_CLASSES:
                if task.info is None or task.info.unknown_bases:
                    continue  # a base we cannot read may define any attribute
                defined = set(getattr(task.info, "base_attributes", ()) or ())
            for arg in task.decorator.call.args:
                if arg.keyword is None or arg.keyword.value in known or arg.keyword.value in defined:
                    continue
                self._report(arg, known, f"task `{task.tail}`: Celery does not know the option "
                             f"`{arg.keyword.value}=` and silently ignores it")

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "apply_async"):
            return
        if as_dispatch(self.names, node) is None:
            return
        for arg in node.args:
            if arg.keyword is None or arg.keyword.value in APPLY_ASYNC_OPTIONS:
                continue
            match = close_match(arg.keyword.value, APPLY_ASYNC_OPTIONS)
            if match is not None:
                self._report(arg, APPLY_ASYNC_OPTIONS, f"`apply_async` has no option `{arg.keyword.value}=` "
                             "(it goes into the message and is ignored)")

    def _report(self, arg: cst.Arg, known, message: str) -> None:
        keyword = arg.keyword
        assert keyword is not None
        match = close_match(keyword.value, known)
        if match is None:
            self.report(arg, message, help="check the spelling")
            return
        self.report(arg, message, help=f"did you mean `{match}=`?", replacement=arg.with_changes(
            keyword=keyword.with_changes(value=match)), unsafe=True)
