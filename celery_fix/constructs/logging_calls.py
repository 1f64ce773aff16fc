"""What counts as logging (or not) in a task body: calls into `logging`, `structlog`, `loguru`,
a logger bound at module level (`logger = get_task_logger(__name__)`), or a name that reads as a
logger (`logger.info`, `log.warning`, `self.logger.error`), or a method named as logging
(`messages.log_messages()`, `self.log(...)`)."""

from __future__ import annotations

import libcst as cst

from celery_fix.constructs.names import NameTable

LOGGING_MODULES = ("logging", "structlog", "loguru", "celery.utils.log", "sentry_sdk")
LOGGER_NAMES = frozenset({"logger", "log", "_logger", "_log", "LOGGER", "LOG", "task_logger", "Logger"})


def is_logging_call(call: cst.Call, names: NameTable) -> bool:
    func = call.func
    qualname = names.resolve(func)
    if qualname and qualname.split(".", 1)[0] in {m.split(".")[0] for m in LOGGING_MODULES}:
        return qualname.startswith(LOGGING_MODULES)
    if not isinstance(func, cst.Attribute):
        return False
    if func.attr.value == "log" or func.attr.value.startswith("log_"):
        return True  # `messages.log_messages()`, `self.log(...)`: a method that logs
    receiver = func.value
    if isinstance(receiver, cst.Attribute):  # self.logger.info(...)
        return receiver.attr.value in LOGGER_NAMES or receiver.attr.value.endswith("logger")
    if isinstance(receiver, cst.Name):
        if receiver.value in LOGGER_NAMES or receiver.value.lower().endswith("logger"):
            return True
        binding = names.bindings.get(receiver.value)
        statement = binding.node if binding is not None and binding.kind == "value" else None
        value = getattr(statement, "value", None)
        if isinstance(value, cst.Call):
            made_by = names.resolve(value.func) or ""
            return made_by.startswith(LOGGING_MODULES) or made_by.endswith(("get_task_logger", "getLogger", "get_logger"))
    return False
