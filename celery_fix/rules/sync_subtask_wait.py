import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.constructs.side_effects import scan_body
from celery_fix.constructs.task_bodies import module_tasks, may_define_task


_WAIT_WORDS = (b".get(", b".wait(", b".join(", b".join_native(")


def _disables_check(call: cst.Call) -> bool:
    return any(arg.keyword is not None and arg.keyword.value == "disable_sync_subtasks" for arg in call.args)


class SyncSubtaskWaitRule(rule.CeleryRule):
    """
    ## What it does
    Checks for `.get()`, `.wait()`, `.join()` (and `join_native()`) inside a task on a task
    result: a dispatch's return value (`x.delay(...)`, `x.apply_async(...)`, a canvas run), a
    name bound to one in the task, or `AsyncResult(...)`.

    ## Why is this bad?
    A task that waits for another task holds its worker process while doing nothing. When all
    processes wait, nobody runs the subtasks: the pool deadlocks. Celery refuses by default
    (`RuntimeError: Never call result.get() within a task!`); `disable_sync_subtasks=False`
    only silences the check, not the deadlock.

    ## Example
    ```python
    @shared_task
    def report(ids):
        totals = compute.delay(ids).get()
        store(totals)
    ```

    ## Use instead
    ```python
    @shared_task
    def report(ids):
        chain(compute.s(ids), store_totals.s()).apply_async()
    ```
    (or a `chord` when several results are needed).

    ## Fix safety
    No fix: turning a wait into a callback restructures the task.
    """

    CODE = "CEL304"
    NAME = "sync-subtask-wait"
    MESSAGE = "task waits for another task's result"
    HELP = "use a `chain`/`chord` callback instead"
    FIX_KIND = "lint"
    TRIGGERS = (b"task", b"Task")
    KEEP_WORDS = ()  # waits in task bodies only (kept by decorators / `run`, with what they call)
    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        # `task` is in most files: with the index, only files defining one of its tasks
        return (any(w in source for w in _WAIT_WORDS) and super().relevant(source, index, path)
                and may_define_task(source, index))


    VALID = [
        Valid(
            """
            from celery import shared_task

            @shared_task
            def lookup(data, key):
                return data.get(key)  # a dict, not a result
            """
        ),
        Valid(
            """
            def view(request):  # not a task (CEL403's business)
                return compute.delay(1).get(timeout=5)
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from celery import shared_task

            @shared_task
            def report(ids):
                result = compute.delay(ids)
                return result.get()
            """
        ),
        Invalid(
            """
            from celery import shared_task
            from celery.result import AsyncResult

            @shared_task
            def follow(task_id):
                AsyncResult(task_id).wait()
            """
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        context = self.context
        for task in module_tasks(node, self.names, context.index if context else None, context.path if context else ""):
            for call in scan_body(task.function, self.names, ()).waits:
                method = call.func.attr.value  # type: ignore[attr-defined]
                help = self.HELP + ("; `disable_sync_subtasks=False` only silences Celery's check" if _disables_check(call) else "")
                self.report(call, f"task `{task.tail}` blocks on another task's result with `.{method}()`", help=help)
