"""What a task body does, in source order: side effects that must not happen twice (mail, HTTP
writes, payment/webhook calls), idempotency guards, database writes, external fetches and waits on
task results. Shared by CEL101, CEL102, CEL302, CEL303 and CEL304.

"Before" means earlier in the body in source order (a guard in one branch counts for the code after
the whole `if`): a cheap approximation of "on every path". Nested functions, classes and lambdas
are not the task's own code and are skipped.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

import libcst as cst

from celery_fix.constructs.dispatch import as_dispatch
from celery_fix.constructs.names import NameTable, dotted_name
from celery_fix.syntax.file_memo import file_memo, remembered
from celery_fix.syntax.walk import walk

EMAIL_FUNCTIONS = frozenset({
    "django.core.mail.send_mail", "django.core.mail.send_mass_mail", "django.core.mail.mail_admins",
    "django.core.mail.mail_managers",
})
EMAIL_CLASSES = frozenset({
    "django.core.mail.EmailMessage", "django.core.mail.EmailMultiAlternatives",
    "django.core.mail.message.EmailMessage", "django.core.mail.message.EmailMultiAlternatives",
})
HTTP_MODULES = ("requests", "httpx")
WRITE_VERBS = frozenset({"post", "put", "patch", "delete"})
SESSION_CLASSES = frozenset({
    "requests.Session", "requests.session", "requests.sessions.Session", "httpx.Client", "httpx.AsyncClient",
})
FETCH_FUNCTIONS = frozenset({"requests.get", "httpx.get", "urllib.request.urlopen", "requests.head", "httpx.head"})
# payment and webhook calls, matched against the resolved (or written) dotted name of the callee
# (project helpers named like this send mail or webhooks: saleor's `email_common.send_email`,
# `send_webhook_using_scheme_method`; a bare `send_*` also matches progress and websocket pushes)
DEFAULT_SIDE_EFFECT_CALLS = (
    "*.charge", "*.refund", "*.capture_payment", "stripe.*.create", "stripe.*.capture", "*.send_email",
    "*.send_*_email", "*.send_sms", "*.send_webhook*", "*.trigger_webhook*",
)
# model manager calls that return one instance / write rows
INSTANCE_METHODS = frozenset({"get", "first", "last", "create", "earliest", "latest"})
MANAGER_WRITES = frozenset({"create", "bulk_create", "update", "get_or_create", "update_or_create", "bulk_update",
                            "delete"})
GUARD_METHODS = frozenset({"get_or_create", "update_or_create", "select_for_update"})
LOCK_WORDS = frozenset({"lock", "rlock", "mutex", "semaphore"})
RESULT_WAITS = frozenset({"get", "wait", "join", "join_native"})
RESULT_FACTORIES = frozenset({"celery.result.AsyncResult", "celery.result.GroupResult.restore", "AsyncResult"})


@dataclass
class Effect:
    call: cst.Call
    kind: str  # "email", "http" or "call" (a configured payment/webhook name)
    label: str  # what is called, for messages
    guarded: bool
    loop: Optional[cst.For] = None  # the outermost task-level `for` loop around it


@dataclass
class Write:
    call: cst.Call
    model: str  # the model's written name, or "<name>" for `name.save()`
    method: str
    guarded: bool
    loop: Optional[cst.For] = None


@dataclass
class BodyScan:
    effects: list[Effect] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)
    fetches: list[cst.Call] = field(default_factory=list)
    waits: list[cst.Call] = field(default_factory=list)  # `.get()`/`.wait()`/`.join()` on a task result
    dispatch_loops: set[int] = field(default_factory=set)  # id() of loops that dispatch a task per item
    loops: list[cst.For] = field(default_factory=list)


def manager_chain(expr: cst.BaseExpression) -> Optional[str]:
    """The model name of `Model.objects.<...>` (any chained queryset calls in between), else None."""
    while True:
        if isinstance(expr, cst.Call):
            expr = expr.func
        elif isinstance(expr, cst.Attribute):
            if expr.attr.value in ("objects", "_default_manager", "_base_manager"):
                return dotted_name(expr.value) or "?"
            expr = expr.value
        elif isinstance(expr, cst.Subscript):
            expr = expr.value
        else:
            return None


def _string(expr: cst.BaseExpression) -> Optional[str]:
    if isinstance(expr, cst.SimpleString):
        try:
            value = expr.evaluated_value
        except (SyntaxError, ValueError):
            return None
        return value if isinstance(value, str) else None
    return None


def _has_idempotency_key(call: cst.Call) -> bool:
    for arg in call.args:
        if arg.keyword is not None and "idempotency" in arg.keyword.value.lower():
            return True
    found = False

    def enter(node: cst.CSTNode) -> bool:
        nonlocal found
        if isinstance(node, cst.SimpleString) and "idempotency" in node.value.lower():
            found = True
        return not found

    for arg in call.args:
        walk(arg, enter)
    return found


class _Scanner:
    def __init__(self, names: NameTable, resolve: Callable, patterns: Sequence[str], params: Sequence[str]) -> None:
        self.names = names
        self.resolve = resolve
        self.patterns = tuple(patterns)
        self.shadowed = frozenset(params)
        self.scan = BodyScan()
        self.guard = False
        self.loops: list[cst.For] = []
        self.emails: set[str] = set()  # local names bound to an EmailMessage
        self.sessions: set[str] = set()  # local names bound to a requests/httpx session
        self.results: set[str] = set()  # local names bound to a task result
        self.instances: dict[str, str] = {}  # local name -> model, from `x = Model.objects.get(...)`

    # -- statements ------------------------------------------------------------------------------
    def block(self, statements: Sequence[cst.CSTNode]) -> None:
        for statement in statements:
            self.statement(statement)

    def body(self, node: cst.BaseSuite) -> None:
        self.block(node.body if isinstance(node, cst.IndentedBlock) else [node])

    def statement(self, node: cst.CSTNode) -> None:
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            return
        if isinstance(node, cst.If):
            self.expressions(node.test)
            self.body(node.body)
            if node.orelse is not None:
                self.statement(node.orelse) if isinstance(node.orelse, cst.If) else self.body(node.orelse.body)
            if _exits(node.body):
                self.guard = True  # an early return/raise: the code after it runs only past the check
            return
        if isinstance(node, cst.Else):
            self.body(node.body)
            return
        if isinstance(node, cst.With):
            before, lock = self.guard, False
            for item in node.items:
                self.expressions(item.item)
                lock = lock or _is_lock(item.item)
                self.bind(item.asname.name if item.asname else None, item.item)
            if lock:  # the body runs under the lock; what follows the block does not
                self.guard = True
            self.body(node.body)
            if lock:
                self.guard = before
            return
        if isinstance(node, cst.For):
            self.expressions(node.iter)
            self.loops.append(node)
            self.scan.loops.append(node)
            self.body(node.body)
            self.loops.pop()
            if node.orelse is not None:
                self.body(node.orelse.body)
            return
        if isinstance(node, cst.While):
            self.expressions(node.test)
            self.body(node.body)
            return
        if isinstance(node, (cst.Try, cst.TryStar)):
            self.body(node.body)
            for handler in node.handlers:
                self.body(handler.body)
            if node.orelse is not None:
                self.body(node.orelse.body)
            if node.finalbody is not None:
                self.body(node.finalbody.body)
            return
        if isinstance(node, cst.SimpleStatementLine):
            for small in node.body:
                self.small(small)
            return
        if isinstance(node, cst.BaseCompoundStatement):  # match and others: look at everything inside
            self.expressions(node)
            return

    def small(self, node: cst.BaseSmallStatement) -> None:
        self.expressions(node)
        if isinstance(node, cst.Assign) and len(node.targets) == 1:
            self.bind(node.targets[0].target, node.value)
        elif isinstance(node, cst.AnnAssign) and node.value is not None:
            self.bind(node.target, node.value)

    def bind(self, target: Optional[cst.BaseExpression], value: cst.BaseExpression) -> None:
        if isinstance(target, cst.Tuple) and target.elements:
            first = target.elements[0].value
            if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) \
                    and value.func.attr.value in ("get_or_create", "update_or_create"):
                self.bind(first, value)
            return
        if not isinstance(target, cst.Name):
            return
        name = target.value
        for table in (self.emails, self.sessions, self.results):
            table.discard(name)
        self.instances.pop(name, None)
        if isinstance(value, cst.Subscript):
            value = value.value
        if not isinstance(value, cst.Call):
            return
        callee = self.qualname(value.func)
        if callee in EMAIL_CLASSES:
            self.emails.add(name)
        elif callee in SESSION_CLASSES:
            self.sessions.add(name)
        elif as_dispatch(self.names, value, self.resolve) is not None or callee in RESULT_FACTORIES \
                or _attr(value.func) == "AsyncResult":
            self.results.add(name)
        elif isinstance(value.func, cst.Attribute) and value.func.attr.value in INSTANCE_METHODS | {"get_or_create"}:
            model = manager_chain(value.func)
            if model is not None:
                self.instances[name] = model
        elif isinstance(value.func, (cst.Name, cst.Attribute)) and callee and ".models." in f".{callee}":
            self.instances[name] = dotted_name(value.func) or callee

    # -- expressions -----------------------------------------------------------------------------
    def expressions(self, node: cst.CSTNode) -> None:
        pending_guard = False

        def enter(inner: cst.CSTNode) -> bool:
            nonlocal pending_guard
            if isinstance(inner, (cst.Lambda, cst.FunctionDef, cst.ClassDef)):
                return False
            if isinstance(inner, cst.Call):
                if self.call(inner):
                    pending_guard = True
            return True

        walk(node, enter)
        if pending_guard:
            self.guard = True

    def qualname(self, expr: cst.BaseExpression) -> Optional[str]:
        if isinstance(expr, cst.Attribute):
            root = expr
            while isinstance(root, cst.Attribute):
                root = root.value
            if isinstance(root, cst.Name) and root.value in self.shadowed:
                return None
        elif isinstance(expr, cst.Name) and expr.value in self.shadowed:
            return None
        return self.resolve(expr)

    def call(self, call: cst.Call) -> bool:
        """Record `call`; True when it is a guard."""
        func = call.func
        method = _attr(func)
        loop = self.loops[0] if self.loops else None
        if method in GUARD_METHODS or _is_lock(call):
            if method in ("get_or_create", "update_or_create"):
                model = manager_chain(func)
                if model is not None:
                    self.scan.writes.append(Write(call, model, method, True, loop))
            return True
        if method == "add" and isinstance(func, cst.Attribute) and "cache" in (dotted_name(func.value) or ""):
            return True
        if loop is not None and as_dispatch(self.names, call, self.resolve) is not None:
            for outer in self.loops:
                self.scan.dispatch_loops.add(id(outer))
        qualname = self.qualname(func)
        kind_label = self.effect(call, func, method, qualname)
        if kind_label is not None:
            kind, label = kind_label
            guarded = self.guard or _has_idempotency_key(call)
            self.scan.effects.append(Effect(call, kind, label, guarded, loop))
            return False
        if qualname in FETCH_FUNCTIONS or (
            method in ("get", "head") and isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)
            and func.value.value in self.sessions
        ):
            self.scan.fetches.append(call)
            return False
        if method in RESULT_WAITS and isinstance(func, cst.Attribute) and self.is_result(func.value):
            self.scan.waits.append(call)
            return False
        if method in MANAGER_WRITES:
            model = manager_chain(func)
            if model is not None or method == "bulk_create":
                self.scan.writes.append(Write(call, model or "?", method, self.guard, loop))
                return False
        if method in ("save", "delete") and isinstance(func, cst.Attribute) and not any(
            arg.keyword is None for arg in call.args
        ):
            receiver = dotted_name(func.value)
            if receiver is not None and receiver not in ("super", "self"):
                model = self.instances.get(receiver, f"<{receiver}>")
                self.scan.writes.append(Write(call, model, method, self.guard, loop))
        return False

    def effect(self, call: cst.Call, func: cst.BaseExpression, method: Optional[str],
               qualname: Optional[str]) -> Optional[tuple[str, str]]:
        if qualname in EMAIL_FUNCTIONS:
            return "email", qualname.rsplit(".", 1)[-1]
        if method == "send" and isinstance(func, cst.Attribute):
            receiver = func.value
            if isinstance(receiver, cst.Name) and receiver.value in self.emails:
                return "email", f"{receiver.value}.send"
            if isinstance(receiver, cst.Call) and self.qualname(receiver.func) in EMAIL_CLASSES:
                return "email", "EmailMessage(...).send"
        if method == "email_user":  # django.contrib.auth's AbstractUser.email_user sends mail
            return "email", "email_user"
        if qualname is not None:
            module, _, verb = qualname.rpartition(".")
            if module in HTTP_MODULES and (verb in WRITE_VERBS or (verb == "request" and _write_method(call))):
                return "http", qualname
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value in self.sessions:
            if method in WRITE_VERBS or (method == "request" and _write_method(call)):
                return "http", f"{func.value.value}.{method}"
        written = qualname or dotted_name(func)
        if written and any(fnmatch.fnmatchcase(written, pattern) for pattern in self.patterns):
            return "call", written
        return None

    def is_result(self, expr: cst.BaseExpression) -> bool:
        if isinstance(expr, cst.Name):
            return expr.value in self.results
        if isinstance(expr, cst.Call):
            if as_dispatch(self.names, expr, self.resolve) is not None:
                return True
            return self.qualname(expr.func) in RESULT_FACTORIES or _attr(expr.func) == "AsyncResult"
        return False


def _attr(func: cst.BaseExpression) -> Optional[str]:
    return func.attr.value if isinstance(func, cst.Attribute) else None


def _write_method(call: cst.Call) -> bool:
    method = None
    if call.args and call.args[0].keyword is None:
        method = _string(call.args[0].value)
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "method":
            method = _string(arg.value)
    return method is not None and method.lower() in WRITE_VERBS


def _is_lock(expr: cst.BaseExpression) -> bool:
    """`cache.lock(...)`, `redis.lock(...)`, `Lock(...)`, `lock.acquire()`, `advisory_lock(...)`."""
    if not isinstance(expr, cst.Call):
        return False
    name = dotted_name(expr.func) or ""
    last = name.rsplit(".", 1)[-1]
    words = set(re.split(r"_|(?<=[a-z])(?=[A-Z])", last.lower() if "_" in last else last))
    return last == "acquire" or bool({w.lower() for w in words} & LOCK_WORDS)


def _exits(suite: cst.BaseSuite) -> bool:
    statements = suite.body if isinstance(suite, cst.IndentedBlock) else [suite]
    if not statements:
        return False
    last = statements[-1]
    smalls = last.body if isinstance(last, cst.SimpleStatementLine) else (
        suite.body if isinstance(suite, cst.SimpleStatementSuite) else ())
    return any(isinstance(s, (cst.Return, cst.Raise)) for s in smalls)


def scan_body(function: cst.FunctionDef, names: NameTable, patterns: Sequence[str] = DEFAULT_SIDE_EFFECT_CALLS,
              resolve: Optional[Callable] = None) -> BodyScan:
    """What `function`'s own body does (see the module docstring). The same scan serves every rule
    that asks for it in the file being checked (five rules scan each task body); callers only read it."""
    if resolve is not None:
        return _scan(function, names, resolve, patterns)
    return remembered(_SCANS, names, function, tuple(patterns), lambda: _scan(function, names, names.resolve, patterns))


def _scan(function: cst.FunctionDef, names: NameTable, resolve: Callable, patterns: Sequence[str]) -> BodyScan:
    params = [p.name.value for p in (*function.params.posonly_params, *function.params.params,
                                      *function.params.kwonly_params)]
    scanner = _Scanner(names, resolve, patterns, params)
    scanner.body(function.body)
    return scanner.scan


_SCANS = file_memo()
