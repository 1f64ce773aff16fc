import re

import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.codemods.json_serializer import PICKLE, drop_pickle, json_instead, string_of
from celery_fix.constructs.dispatch import as_dispatch
from celery_fix.constructs.results import setting_nodes
from celery_fix.constructs.task_bodies import module_tasks
from celery_fix.constructs.test_code import is_test_path

SERIALIZER_SETTINGS = ("task_serializer", "result_serializer", "event_serializer")
# every report is at a string literal whose value is one of PICKLE (codemods/json_serializer.py);
# `pickle.dumps(...)` or a `.pickle` file name is not one
_PICKLE_LITERAL = re.compile(rb"""(['"])(?:pickle|application/x-python-serialize)\1""")
_WHY = "anyone who can write to the broker can run code on the workers"
_JSON = "use `json`"


class PickleSerializerRule(rule.CeleryRule):
    """
    ## What it does
    Checks for `pickle` in `task_serializer`, `result_serializer`, `event_serializer` or
    `accept_content` (as settings, `app.conf.*`, `app.conf.update(...)`), and for
    `serializer="pickle"` on a task decorator or an `apply_async` call.

    ## Why is this bad?
    Unpickling runs code chosen by whoever wrote the message. With `pickle` accepted, anyone
    who can publish to the broker (a shared Redis, a leaked broker URL, another service on the
    same vhost) can run arbitrary code on every worker, and on every client that reads results.
    Celery switched its default to JSON in 4.0 for this reason.

    ## Example
    ```python
    CELERY_TASK_SERIALIZER = "pickle"
    CELERY_ACCEPT_CONTENT = ["pickle", "json"]
    ```

    ## Use instead
    ```python
    CELERY_TASK_SERIALIZER = "json"
    CELERY_ACCEPT_CONTENT = ["json"]
    ```
    and pass ids and plain data to tasks (see CEL601/CEL602).

    ## Fix safety
    Unsafe: the fix writes `"json"` instead of `"pickle"` and removes `pickle` from
    `accept_content` (replacing it with `json` when json is not listed). Tasks that are sent
    objects JSON cannot encode then fail at `.delay()` with `EncodeError`, and messages already
    queued as pickle are rejected by workers that no longer accept it. Settings in test code are
    not reported; the task and `apply_async` keyword is reported everywhere.
    """

    CODE = "CEL603"
    NAME = "pickle-serializer"
    MESSAGE = "`pickle` serializer: " + _WHY
    HELP = _JSON
    FIX_TITLE = "Switch to `json`"
    FIX_KIND = "unsafe"
    SEVERITY = "error"
    TRIGGERS = (b"pickle", b"python-serialize")

    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        return super().relevant(source, index, path) and _PICKLE_LITERAL.search(source) is not None

    VALID = [
        Valid('CELERY_TASK_SERIALIZER = "json"\nCELERY_ACCEPT_CONTENT = ["json"]\n'),
        Valid('import pickle\n\ndata = pickle.dumps(1)\n'),
    ]
    INVALID = [
        # unsafe fixes: plain Fixit reports them without a replacement (the snapshots show the fix)
        Invalid('CELERY_TASK_SERIALIZER = "pickle"\n'),
        Invalid("CELERY_ACCEPT_CONTENT = ['pickle', 'json']\n"),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        context = self.context
        path = context.path if context else ""
        if not is_test_path(path):
            for key in SERIALIZER_SETTINGS:
                for _, value in setting_nodes(node, self.names, key):
                    if string_of(value) in PICKLE:
                        self.report(value, f"`{key}` is `pickle`: {_WHY}",
                                    replacement=json_instead(value), unsafe=True)  # type: ignore[arg-type]
            for _, value in setting_nodes(node, self.names, "accept_content"):
                if isinstance(value, (cst.List, cst.Tuple, cst.Set)) and any(
                    isinstance(e, cst.Element) and string_of(e.value) in PICKLE for e in value.elements
                ):
                    self.report(value, f"`accept_content` accepts `pickle`: {_WHY}", help="accept only `json`",
                                replacement=drop_pickle(value), unsafe=True)
        for task in module_tasks(node, self.names, context.index if context else None, path):
            written = task.written("serializer")
            if written is not None and string_of(written) in PICKLE:
                self.report(written, f"task `{task.tail}` uses the `pickle` serializer: {_WHY}",
                            replacement=json_instead(written), unsafe=True)  # type: ignore[arg-type]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value in ("apply_async", "send_task")):
            return
        if as_dispatch(self.names, node) is None:
            return
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value == "serializer" and string_of(arg.value) in PICKLE:
                self.report(arg.value, f"`{func.attr.value}(serializer=\"pickle\")`: {_WHY}",
                            replacement=json_instead(arg.value), unsafe=True)  # type: ignore[arg-type]
