from typing import Any, Optional

import libcst as cst
from fixit import Valid

from celery_fix.ruleset import base as rule
from celery_fix.syntax.walk import visit_readonly
from celery_fix.codemods.ignore_result import (
    add_ignore_result,
    can_add_option,
    returns_value,
)
from celery_fix.index.values import is_unknown
from celery_fix.constructs.results import (
    backend_state,
    find_task,
    index_of,
    module_task_defs,
    setting,
    setting_value,
)
from celery_fix.constructs.tasks import defines_any


class UnusedResultRule(rule.CeleryRule):
    """
    ## What it does
    Checks for tasks whose result no code in the scanned project reads, while Celery stores it:
    the task has no `ignore_result` (in its decorator, its base class or the global
    `task_ignore_result`), and nothing consumes its result — no `.get()`/`.wait()`/`.join()`/
    `.ready()`/`.state`/`.result` on what its dispatches return, no chord header or chain link
    that passes its result on, no `link=` callback, and its result object or id is never
    returned, stored or passed on. Needs the ProjectIndex (without it the rule reports nothing).

    No finding at all when the project has no result backend (the setting is absent while the
    configuration is visible, or it is set off), when some code calls `AsyncResult(...)`
    (results can then be looked up by an id taken anywhere, e.g. in a `before_task_publish`
    handler, so no task's result is provably unused), when some `send_task()` call with a
    name built at run time uses its result, or for tasks that call `self.update_state()`.
    Celery also reads the `CELERY_RESULT_BACKEND` environment variable, which no scan can see:
    set option `result-backend` to `"configured"` or `"none"` when the guess is wrong.

    ## Why is this bad?
    Every run writes its return value (and state) to the result backend, where nobody reads
    it: a Redis key or database row per task, a round trip per task, memory until
    `result_expires` (a day by default) — and, for the database backend, a table that grows.

    ## Example
    ```python
    @shared_task
    def send_receipt(order_id):
        Order.objects.get(pk=order_id).send_receipt()
    ```

    ## Use instead
    ```python
    @shared_task(ignore_result=True)
    def send_receipt(order_id):
        Order.objects.get(pk=order_id).send_receipt()
    ```

    ## Fix safety
    Safe when the task returns nothing on any path: its stored result is always `None`.
    Unsafe when it returns a value: nothing in the scanned project reads it, but code elsewhere
    (another service, a shell script, a monitoring tool such as Flower reading the backend)
    could. No fix for class-based tasks, tasks made with a preset decorator
    (`retrying = shared_task(...)`), or options given through `**kwargs`.
    """

    CODE = "CEL401"
    NAME = "unused-result"
    MESSAGE = "task result is stored but no code in the project reads it"
    HELP = "add `ignore_result=True`"
    FIX_TITLE = "Add `ignore_result=True`"
    FIX_KIND = "safe/unsafe"
    # whether anyone reads a task's result, and what it returns: no other fix changes either
    SURVIVES_FIXES = True
    NEEDS_INDEX = True
    # a task decorator this module can recognise is `shared_task`, `<app>.task` or an alias of them
    TRIGGERS = (b"shared_task", b".task")

    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        # needs the index; not when something silences the whole project (whatever the
        # `result-backend` option says); then only files that define one of its tasks
        if index is None or project_blocker(index, "configured") is not None:
            return False
        return super().relevant(source, index, path) and defines_any(source, index.tasks)
    OPTIONS = {"result-backend": "auto"}

    VALID = [
        Valid(
            """
            from celery import shared_task

            @shared_task
            def send_receipt(order_id):
                pass
            """
        ),
    ]
    INVALID = []  # needs the ProjectIndex: tests/test_result_routing_cel401.py and the snapshots

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        index = index_of(self)
        backend = self.option("result-backend")
        if index is None or not self.context.path or project_blocker(index, backend):
            return
        state = backend_state(index, backend)
        written = setting(index, "result_backend")
        # how sure "Celery stores it" is: said after the help when the backend is not known here
        if state == "configured":
            stored = ""
        elif written is not None:  # the settings set one from the environment (or other run-time code)
            stored = f"; Celery stores it in the result backend `{written.source or 'result_backend'}` chooses at run time"
        else:
            stored = "; Celery stores it whenever a result backend is configured (this scan cannot tell whether one is)"
        for definition in module_task_defs(node, self.names):
            info = find_task(index, self.context.path, definition.tail)
            if info is None or not results_stored(index, info) or consumed(index, info):
                continue
            if "ignore_result" in definition.task.options or definition.task.options_unknown:
                continue  # what this file says wins over the index (built before a fix)
            if _updates_state(definition.node):
                continue
            name = definition.tail
            returns = info.returns_value or returns_value(definition.node)
            fixable = can_add_option(self.names, definition.task) and "ignore_result" not in definition.task.options
            replacement = add_ignore_result(definition.decorator) if fixable else None
            if returns:
                message = f"task `{name}` stores a result that no code in the project reads"
                help = "add `ignore_result=True` unless code outside this project reads it" + stored
            else:
                message = f"task `{name}` stores a result (`None`) that no code in the project reads"
                help = self.HELP + stored
            note = None if replacement is not None else \
                "no automatic fix: the decorator is a preset or its options are built by code"
            self.report(definition.decorator, message, help=help, note=note, replacement=replacement, unsafe=returns)


def project_blocker(index: Any, backend_option: str) -> Optional[str]:
    """Why no task of this project is reported (None: tasks may be)."""
    if backend_state(index, backend_option) == "none":
        return "no result backend"
    ignore = setting_value(index, "task_ignore_result", False)
    if ignore is not False:
        return "task_ignore_result is on (or not known)"
    if getattr(index, "async_result_anywhere", False):
        return "AsyncResult(...) is called somewhere"
    for site in getattr(index, "dispatches", ()) or ():
        # (the index records a computed name as UNKNOWN, which is a str: check both)
        if site.method == "send_task" and (site.task_name is None or is_unknown(site.task_name)) and site.value_used:
            return "send_task() with a computed name whose result is used"
    return None


def results_stored(index: Any, info: Any) -> bool:
    """Whether Celery provably stores this task's result (no `ignore_result` anywhere)."""
    if info.options_unknown or "ignore_result" in info.options:
        return False
    annotations = setting(index, "task_annotations")
    if annotations is not None and (not annotations.known or "ignore_result" in repr(annotations.value)):
        return False
    return True


def consumed(index: Any, info: Any) -> bool:
    """Any use of the task's result in the project: read, chained, returned, stored, id taken."""
    consumers = getattr(index, "consumers", ()) or ()
    cached = _CONSUMED.get(id(index))
    if cached is None or cached[0] is not index or cached[1] is not consumers:
        cached = (index, consumers, {consumer.task for consumer in consumers})
        _CONSUMED.clear()
        _CONSUMED[id(index)] = cached
    return info.qualname in cached[2]


_CONSUMED: dict[int, tuple] = {}


def _updates_state(function: cst.FunctionDef) -> bool:
    finder = _StateUpdates()
    visit_readonly(function.body, finder)
    return finder.found


class _StateUpdates(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found = False

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value in ("update_state", "backend"):
            self.found = True

