from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional

import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.constructs.dispatch import TRIGGERS as DISPATCH_TRIGGERS
from celery_fix.constructs.dispatch import as_dispatch
from celery_fix.constructs.names import NameTable
from celery_fix.constructs.scopes import local_names, parameter_names
from celery_fix.constructs.tasks import task_decorator
from celery_fix.constructs.views import is_view_class
from celery_fix.syntax.walk import children, walk

# the methods that wait for a result: AsyncResult.get/wait/collect, ResultSet/GroupResult.join
BLOCKING = frozenset({"get", "wait", "join", "join_native", "collect"})
# reading these first means the view polls (`if res.ready(): return res.get()`): no wait
STATE_READS = frozenset({"ready", "successful", "failed", "state", "status"})
# calls that look a result up by id
RESULT_LOOKUPS = frozenset({
    "celery.result.AsyncResult", "celery.result.GroupResult", "celery.result.GroupResult.restore",
    "celery.result.ResultSet",
})
RESULT_LOOKUP_WORDS = (b"AsyncResult", b"GroupResult", b"ResultSet")
VIEW_WORDS = (b"request", b"view", b"View", b"rest_framework")
API_VIEW = frozenset({"rest_framework.decorators.api_view"})
_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
_SNIPPET = cst.Module(body=[])


def _snippet(node: cst.CSTNode, limit: int = 60) -> str:
    text = " ".join(_SNIPPET.code_for_node(node).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


class BlockingResultInRequestRule(rule.CeleryRule):
    """
    ## What it does
    Checks for Django view code that waits for a Celery task: `.get()`, `.wait()`, `.join()` or
    `.collect()` on a task result, in a function view (first parameter `request`), a DRF
    `@api_view`, a method of a `View`/`APIView`/`ViewSet`/`GenericAPIView` subclass (or a method
    taking `request`), or in a function of the same module that such a view calls. A task result
    is the value of a dispatch (`task.delay(...)`, `apply_async(...)`, a canvas being run,
    `app.send_task(...)`) or of `AsyncResult(...)` / `app.AsyncResult(...)`, used directly or
    through a name assigned in the same function. Other `.get()` calls (`dict.get`,
    `request.GET.get`, `cache.get`, querysets) are never reported. A view that reads
    `.ready()`/`.state`/`.successful()` of the result first is a polling endpoint: not reported.

    ## Why is this bad?
    The request holds a web worker (a gunicorn/uwsgi process or thread) until the task has been
    queued, picked up and finished: a slow or busy queue, or a stopped worker, ties up the web
    server — without `timeout=` the request waits forever. Running the work through Celery then
    buys nothing over calling it inline.

    ## Example
    ```python
    def invoice(request, pk):
        path = render_invoice.delay(pk).get()
        return FileResponse(open(path, "rb"))
    ```

    ## Use instead
    ```python
    def invoice(request, pk):
        result = render_invoice.delay(pk)
        return JsonResponse({"task_id": result.id}, status=202)

    def invoice_status(request, task_id):
        result = AsyncResult(task_id)
        if not result.ready():
            return JsonResponse({"state": result.state}, status=202)
        return FileResponse(open(result.get(), "rb"))
    ```

    ## Fix safety
    No fix: the response and the client have to change (return the task id, poll a status
    endpoint or push the result over a websocket).
    """

    CODE = "CEL403"
    NAME = "blocking-result-in-request"
    MESSAGE = "a view waits for a Celery task result"
    HELP = "return the task id and let the client poll a status endpoint (or push the result over a websocket)"
    FIX_TITLE = None
    FIX_KIND = "lint"
    # waits on results in views: no fix touches a dispatch whose result is used
    SURVIVES_FIXES = True
    SEVERITY = "warning"
    # a task result comes from a dispatch (its words) or from an `AsyncResult`/`GroupResult` lookup
    TRIGGERS = tuple(DISPATCH_TRIGGERS) + RESULT_LOOKUP_WORDS

    @classmethod
    def relevant(cls, source: bytes, index=None, path=None) -> bool:
        # a task result and a wait on something; a result comes from a dispatch or a lookup by id
        if not super().relevant(source, index, path):
            return False
        if rule.holds_no_task_result(index, path) and not any(word in source for word in RESULT_LOOKUP_WORDS):
            return False
        if not any(word in source for word in (b".get(", b".wait(", b".join(", b".collect(", b".join_native(")):
            return False
        # and view code: a `request` parameter, `@api_view`, a `...View`/`...ViewSet` base or one
        # from `django.views` / `rest_framework` (each is spelled in the module)
        return any(word in source for word in VIEW_WORDS)

    VALID = [
        Valid(
            """
            from shop.tasks import render_invoice

            def invoice(request, pk):
                render_invoice.delay(pk)
                return request.GET.get("next")
            """
        ),
        Valid(
            """
            from celery import shared_task
            from shop.tasks import render_invoice

            @shared_task
            def bundle(request):
                return render_invoice.delay(1).get()
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from shop.tasks import render_invoice

            def invoice(request, pk):
                return render_invoice.delay(pk).get()
            """
        ),
        Invalid(
            """
            from celery.result import AsyncResult

            def status(request, task_id):
                result = AsyncResult(task_id)
                return result.get(timeout=5)
            """
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        views: list[tuple[cst.FunctionDef, str]] = []
        helpers: dict[str, cst.FunctionDef] = {}
        for statement in _module_statements(node.body):
            if isinstance(statement, cst.FunctionDef):
                if self._is_task(statement):
                    continue
                if self._is_function_view(statement):
                    views.append((statement, f"the view `{statement.name.value}()`"))
                else:
                    helpers[statement.name.value] = statement
            elif isinstance(statement, cst.ClassDef):
                views.extend(self._view_methods(statement))
        if not views:
            return
        # helper name -> the views that call it (in order)
        callers: dict[str, list[str]] = {}
        for function, where in views:
            for waited in _Scanner(self.names, function).run():
                self._report(waited, where)
            for name in self._called_helpers(function, helpers):
                callers.setdefault(name, []).append(where)
        for name, wheres in callers.items():
            helper = helpers[name]
            more = len(wheres) - 1
            via = wheres[0] + (f" and {more} more" if more else "")
            for waited in _Scanner(self.names, helper).run():
                self._report(waited, f"{via} (in `{name}()`)")

    # -- which code is view code ------------------------------------------------------------------
    def _is_task(self, function: cst.FunctionDef) -> bool:
        return any(task_decorator(self.names, d) is not None for d in function.decorators)

    def _is_function_view(self, function: cst.FunctionDef) -> bool:
        params = parameter_names(function.params)
        if params and params[0] == "request":
            return True
        for decorator in function.decorators:
            expr = decorator.decorator
            target = expr.func if isinstance(expr, cst.Call) else expr
            if self.names.resolve(target) in API_VIEW:
                return True
        return False

    def _view_methods(self, klass: cst.ClassDef) -> Iterable[tuple[cst.FunctionDef, str]]:
        if not isinstance(klass.body, cst.IndentedBlock):
            return
        bases = [self.names.resolve(b.value) or "" for b in klass.bases]
        if any(q == "celery" or q.startswith("celery.") for q in bases):
            return  # a class-based task (CEL304's)
        view_class = self._is_view_class(klass)
        for statement in klass.body.body:
            if not isinstance(statement, cst.FunctionDef) or self._is_task(statement):
                continue
            params = parameter_names(statement.params)
            if view_class or (len(params) >= 2 and params[1] == "request"):
                yield statement, f"`{klass.name.value}.{statement.name.value}()`"

    def _is_view_class(self, klass: cst.ClassDef) -> bool:
        return is_view_class(klass, self.names.resolve)

    def _called_helpers(self, function: cst.FunctionDef, helpers: dict[str, cst.FunctionDef]) -> list[str]:
        """Module functions `function` calls by their plain name (not shadowed by a local)."""
        local = local_names(function)
        found: list[str] = []

        def enter(node: cst.CSTNode) -> bool:
            if type(node) is cst.Call and type(node.func) is cst.Name:
                name = node.func.value
                binding = self.names.bindings.get(name)
                if name in helpers and name not in local and name not in found and binding is not None \
                        and binding.kind == "def" and binding.node is helpers[name]:
                    found.append(name)
            return True

        walk(function.body, enter)
        return found

    # -- reporting --------------------------------------------------------------------------------
    def _report(self, waited: "_Wait", where: str) -> None:
        call = waited.call
        method = call.func.attr.value  # type: ignore[attr-defined]
        timeout = _timeout(call, method)
        help = self.HELP
        if timeout is None:
            help += "; until then pass `timeout=`: with none it waits forever when no worker runs"
        message = f"`.{method}()` on {waited.what} blocks {where}"
        self.report(waited.statement if waited.statement is not None else call, message, help=help)


def _timeout(call: cst.Call, method: str) -> Optional[cst.BaseExpression]:
    for index, arg in enumerate(call.args):
        if arg.star:
            return arg.value  # `**options`: may carry one
        if arg.keyword is not None and arg.keyword.value == "timeout":
            value = arg.value
        elif arg.keyword is None and index == 0 and method in ("get", "wait", "join", "join_native"):
            value = arg.value
        else:
            continue
        if isinstance(value, cst.Name) and value.value == "None":
            return None
        return value
    return None


def _module_statements(body) -> Iterable[cst.CSTNode]:
    """Statements run at import time: module level and inside `if`/`try` blocks."""
    for statement in body:
        if isinstance(statement, (cst.If, cst.Try)):
            yield from _module_statements(statement.body.body)
            for handler in getattr(statement, "handlers", ()):
                yield from _module_statements(handler.body.body)
            orelse = statement.orelse
            if isinstance(orelse, cst.If):
                yield from _module_statements([orelse])
            elif orelse is not None:
                yield from _module_statements(orelse.body.body)
        else:
            yield statement


# -- one function's waits -------------------------------------------------------------------------
@dataclass
class _Wait:
    call: cst.Call
    statement: Optional[cst.CSTNode]  # the small statement it is in (None in a compound header)
    what: str  # "the result of `x.delay(...)`"
    name: Optional[str]  # the local name waited on, if any
    lookup: bool  # the result was looked up by id (`AsyncResult(...)`), not just sent


@dataclass
class _Origin:
    what: str
    lookup: bool


@dataclass
class _Scanner:
    """Goes through one function's own scope in source order, following which local names hold
    a task result (the last binding before the use decides), and collects the waits on them."""

    names: NameTable
    function: cst.FunctionDef
    waits: list[_Wait] = field(default_factory=list)
    state: dict[str, Optional[_Origin]] = field(default_factory=dict)
    checked: set[str] = field(default_factory=set)  # names whose state is read (`.ready()`)
    checked_lookup: bool = False  # a looked-up result's state is read directly
    _statement: Optional[cst.CSTNode] = None
    _in_loop_test: bool = False

    def __post_init__(self) -> None:
        self.local = local_names(self.function)

    def run(self) -> list[_Wait]:
        self._block(_body(self.function))
        result = []
        for wait in self.waits:
            if wait.name is not None and wait.name in self.checked:
                continue  # a polling endpoint: it reads the state first
            if wait.name is None and wait.lookup and (self.checked_lookup or self.checked):
                continue
            result.append(wait)
        return result

    # -- names ----------------------------------------------------------------------------------
    def _resolve(self, expr: cst.BaseExpression) -> Optional[str]:
        root = expr
        while isinstance(root, cst.Attribute):
            root = root.value
        if not isinstance(root, cst.Name) or root.value in self.local:
            return None
        return self.names.resolve(expr)

    def origin(self, expr: cst.BaseExpression, shadow: frozenset[str] = frozenset()) -> Optional[_Origin]:
        """Whether `expr` is a task result, and which."""
        if isinstance(expr, cst.Name):
            if expr.value in shadow or expr.value not in self.local:
                return None
            return self.state.get(expr.value)
        if not isinstance(expr, cst.Call):
            return None
        func = expr.func
        if self._resolve(func) in RESULT_LOOKUPS:
            return _Origin(f"`{_snippet(func)}(...)`", True)
        if isinstance(func, cst.Attribute) and func.attr.value == "AsyncResult":
            receiver = func.value
            root = receiver
            while isinstance(root, cst.Attribute):
                root = root.value
            if isinstance(root, cst.Name) and root.value not in self.local and root.value not in shadow \
                    and self.names.is_celery_app(receiver):
                return _Origin(f"`{_snippet(func)}(...)`", True)
            return None
        dispatch = as_dispatch(self.names, expr, self._resolve)
        if dispatch is not None:
            return _Origin(f"the result of `{_snippet(func)}(...)`", False)
        return None

    def bind(self, target: cst.BaseExpression, origin: Optional[_Origin]) -> None:
        if isinstance(target, cst.Name):
            self.state[target.value] = origin
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self.bind(element.value, None)
        elif isinstance(target, cst.StarredElement):
            self.bind(target.value, None)

    # -- statements -----------------------------------------------------------------------------
    def _block(self, statements) -> None:
        for statement in statements:
            self._compound(statement)

    def _compound(self, statement: cst.CSTNode) -> None:
        self._statement = None
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                self._small(small)
        elif isinstance(statement, cst.SimpleStatementSuite):
            for small in statement.body:
                self._small(small)
        elif isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            for decorator in statement.decorators:
                self._expr(decorator.decorator)
            self.state[statement.name.value] = None
        elif isinstance(statement, cst.If):
            self._expr(statement.test)
            self._block(_body(statement))
            if isinstance(statement.orelse, cst.If):
                self._compound(statement.orelse)
            elif statement.orelse is not None:
                self._block(_body(statement.orelse))
        elif isinstance(statement, (cst.For, cst.While)):
            if isinstance(statement, cst.For):
                self._expr(statement.iter)
                self.bind(statement.target, None)
            else:
                self._in_loop_test = True  # `while not r.ready(): sleep(1)` polls in the request: still a wait
                self._expr(statement.test)
                self._in_loop_test = False
            self._block(_body(statement))
            if statement.orelse is not None:
                self._block(_body(statement.orelse))
        elif isinstance(statement, cst.With):
            for item in statement.items:
                self._expr(item.item)
                if item.asname is not None:
                    self.bind(item.asname.name, None)
            self._block(_body(statement))
        elif isinstance(statement, (cst.Try, cst.TryStar)):
            self._block(_body(statement))
            for handler in statement.handlers:
                if handler.type is not None:
                    self._expr(handler.type)
                if handler.name is not None:
                    self.bind(handler.name.name, None)
                self._block(_body(handler))
            for part in (statement.orelse, statement.finalbody):
                if part is not None:
                    self._block(_body(part))
        elif isinstance(statement, cst.Match):
            self._expr(statement.subject)
            for case in statement.cases:
                for name in _names_in(case.pattern):
                    self.state[name] = None
                if case.guard is not None:
                    self._expr(case.guard)
                self._block(_body(case))
        else:
            self._expr(statement)

    def _small(self, small: cst.BaseSmallStatement) -> None:
        self._statement = small
        if isinstance(small, cst.Assign):
            self._expr(small.value)
            for target in small.targets:
                self._expr_target(target.target)
            origin = self.origin(small.value)
            for target in small.targets:
                self.bind(target.target, origin if len(small.targets) == 1 else None)
        elif isinstance(small, cst.AnnAssign):
            if small.value is not None:
                self._expr(small.value)
                self.bind(small.target, self.origin(small.value))
        elif isinstance(small, cst.AugAssign):
            self._expr(small.value)
            self.bind(small.target, None)
        elif isinstance(small, cst.Del):
            self.bind(small.target, None)
        elif isinstance(small, (cst.Import, cst.ImportFrom)):
            names = small.names
            if not isinstance(names, cst.ImportStar):
                for alias in names:
                    name = alias.asname.name if alias.asname is not None else alias.name
                    while isinstance(name, cst.Attribute):
                        name = name.value
                    self.bind(name, None)
        else:
            self._expr(small)

    def _expr_target(self, target: cst.BaseExpression) -> None:
        # `x[r.get()] = ...`: calls inside a target's subscripts/attributes still run
        if isinstance(target, (cst.Subscript, cst.Attribute)):
            self._expr(target)

    # -- expressions ----------------------------------------------------------------------------
    def _expr(self, node: cst.CSTNode, shadow: frozenset[str] = frozenset()) -> None:
        kind = type(node)
        if kind is cst.Lambda:
            return  # its own scope; runs later, if at all
        if kind in _COMPREHENSIONS:
            targets = set(shadow)
            for_in = node.for_in
            while for_in is not None:
                targets.update(_names_in(for_in.target))
                for_in = for_in.inner_for_in
            shadow = frozenset(targets)
        elif kind is cst.NamedExpr:
            self._expr(node.value, shadow)
            self.bind(node.target, self.origin(node.value, shadow))
            return
        elif kind is cst.Attribute and node.attr.value in STATE_READS:
            self._state_read(node.value, shadow)
        elif kind is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value in BLOCKING:
            receiver = node.func.value
            origin = self.origin(receiver, shadow)
            if origin is not None:
                name = receiver.value if isinstance(receiver, cst.Name) else None
                what = origin.what
                if name is not None and not origin.lookup:
                    what = f"`{name}` ({origin.what})"
                elif name is not None:
                    what = f"`{name}` (from {origin.what})"
                self.waits.append(_Wait(node, self._statement, what, name, origin.lookup))
        for child in children(node):
            self._expr(child, shadow)

    def _state_read(self, receiver: cst.BaseExpression, shadow: frozenset[str]) -> None:
        if self._in_loop_test:
            return
        if isinstance(receiver, cst.Name):
            if receiver.value not in shadow:
                self.checked.add(receiver.value)
            return
        origin = self.origin(receiver, shadow)
        if origin is not None and origin.lookup:
            self.checked_lookup = True


def _body(node: cst.CSTNode):
    body = getattr(node, "body", None)
    if isinstance(body, cst.IndentedBlock):
        return body.body
    if isinstance(body, cst.SimpleStatementSuite):
        return [body]
    return []


def _names_in(node: cst.CSTNode) -> set[str]:
    found: set[str] = set()

    def enter(current: cst.CSTNode) -> bool:
        if type(current) is cst.Name:
            found.add(current.value)
        elif type(current) is cst.Attribute:
            return False  # `case Color.RED`: a value, binds nothing
        return True

    walk(node, enter)
    return found
