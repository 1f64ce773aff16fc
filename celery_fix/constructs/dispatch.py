"""Is this call a Celery dispatch? (`.delay()`, `.apply_async()`, `send_task()`, a canvas run.)

Shared by every rule that cares about where tasks are sent from. Recognition is syntactic plus the
module's NameTable; `.delay`/`.apply_async` are Celery's own method names, so any receiver counts
except names the NameTable knows are something else (a module, a builtin).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import libcst as cst

from celery_fix.constructs.names import NameTable

SEND_METHODS = frozenset({"delay", "apply_async"})
SIGNATURE_METHODS = frozenset({"s", "si", "signature"})
CANVAS = frozenset({
    "celery.group", "celery.chain", "celery.chord", "celery.chunks", "celery.xmap", "celery.xstarmap",
    "celery.canvas.group", "celery.canvas.chain", "celery.canvas.chord", "celery.signature",
    "celery.canvas.signature", "celery.canvas.Signature", "celery.Signature",
})
# a dispatch needs one of these words: `.delay`/`apply_async`/`send_task`, a signature pipe
# (`.s(`/`.si(`), or a canvas, which must be imported from celery (`celery`)
TRIGGERS = (b".delay", b"apply_async", b"send_task", b".s(", b".si(", b"celery")


@dataclass(frozen=True)
class Dispatch:
    call: cst.Call
    method: str  # "delay", "apply_async", "send_task" or "canvas" (`group(...)()`, `chord(h)(cb)`)
    # the task (or signature / canvas) expression whose method is called; None for canvas calls
    receiver: Optional[cst.BaseExpression]

    @property
    def plain_task(self) -> bool:
        """`task.delay(...)` / `mod.task.apply_async(...)`: a task object, not a signature."""
        return self.method in SEND_METHODS and isinstance(self.receiver, (cst.Name, cst.Attribute))


def as_dispatch(names: NameTable, call: cst.Call, resolve=None) -> Optional[Dispatch]:
    """The dispatch `call` performs, or None. `resolve` (optional) resolves a dotted expression
    honouring function-local shadowing (ScopeTracker.resolve); the NameTable is used otherwise."""
    resolve = resolve or names.resolve
    func = call.func
    if isinstance(func, cst.Attribute):
        method = func.attr.value
        receiver = func.value
        if method in SEND_METHODS:
            if _is_foreign(names, receiver, resolve):
                return None
            return Dispatch(call, method, receiver)
        if method == "send_task":
            if isinstance(receiver, (cst.Name, cst.Attribute)) and _is_foreign(names, receiver, resolve):
                return None
            return Dispatch(call, "send_task", receiver)
        return None
    if isinstance(func, cst.Call) and resolve(func.func) in CANVAS:
        return Dispatch(call, "canvas", None)  # group(...)(), chain(...)(), chord(header)(body)
    if isinstance(func, cst.BinaryOperation) and isinstance(func.operator, cst.BitOr) and _is_signature_pipe(func):
        return Dispatch(call, "canvas", None)  # (a.s() | b.s())()
    return None


def _is_signature_pipe(expr: cst.BaseExpression) -> bool:
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.BitOr):
        return _is_signature_pipe(expr.left) or _is_signature_pipe(expr.right)
    return (
        isinstance(expr, cst.Call)
        and isinstance(expr.func, cst.Attribute)
        and expr.func.attr.value in SIGNATURE_METHODS
    )


def _is_foreign(names: NameTable, receiver: cst.BaseExpression, resolve) -> bool:
    """Receivers that are certainly not tasks: imported stdlib-ish modules, `time.delay`, ..."""
    if not isinstance(receiver, (cst.Name, cst.Attribute)):
        return False
    qualname = resolve(receiver)
    if qualname is None:
        return False
    top = qualname.split(".")[0]
    return top in _NOT_TASK_ROOTS


_NOT_TASK_ROOTS = frozenset({"asyncio", "time", "twisted", "trio", "anyio", "tenacity", "backoff", "requests", "django"})
