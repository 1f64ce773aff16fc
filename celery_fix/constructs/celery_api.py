"""Names in Celery's and Django's API that the index and the rules look for (plain data)."""

DISPATCH_METHODS = frozenset({"delay", "apply_async"})
MAY_DISPATCH_METHODS = DISPATCH_METHODS | {"send_task"}
SIGNATURE_METHODS = frozenset({"s", "si", "signature", "subtask"})
CANVAS_NAMES = {
    "celery.group": "group", "celery.chain": "chain", "celery.chord": "chord",
    "celery.canvas.group": "group", "celery.canvas.chain": "chain", "celery.canvas.chord": "chord",
    "celery.canvas._chain": "chain", "celery.canvas.chunks": "chunks",
}
SIGNATURE_FACTORIES = frozenset({"celery.signature", "celery.canvas.signature", "celery.Signature", "celery.canvas.Signature"})
RESULT_ATTRIBUTES = frozenset({
    "get", "wait", "join", "join_native", "ready", "result", "state", "status", "successful", "failed",
    "collect", "then", "info", "traceback", "children", "forget", "revoke", "id", "task_id",
})
ASYNC_RESULT_NAMES = frozenset({"AsyncResult", "GroupResult", "ResultSet"})
ON_COMMIT = frozenset({"django.db.transaction.on_commit"})
