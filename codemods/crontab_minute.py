"""Pin the minute of a crontab that sets hour/day/month fields but no minute (the CEL806 fix):
`crontab(hour=3)` fires at 03:00, 03:01, ... 03:59; `crontab(hour=3, minute=0)` once."""

from __future__ import annotations

import libcst as cst

from celery_fix.codemods._lazy import lazy_command
from celery_fix.constructs.beat import CRONTAB, Resolver, crontab_fields, is_star
from celery_fix.syntax.edit import append_kwargs, keyword_arg
from celery_fix.constructs.names import NameTable, build_name_table


def minute_missing(resolver: Resolver, call: cst.Call) -> bool:
    """`call` is Celery's `crontab(...)` with an hour/day/month field set and no minute."""
    if resolver.resolve(call.func) not in CRONTAB:
        return False
    if any(arg.star for arg in call.args):
        return False
    fields = crontab_fields(call)
    return "minute" not in fields and any(
        name in fields and not is_star(fields[name])
        for name in ("hour", "day_of_week", "day_of_month", "month_of_year")
    )


def add_minute(call: cst.Call, minute: int = 0) -> cst.Call:
    return append_kwargs(call, [keyword_arg("minute", cst.Integer(str(minute)))])


def _build_command():
    from libcst.codemod import CodemodContext, VisitorBasedCodemodCommand

    from celery_fix.constructs.beat import local_bindings

    class CrontabMinuteCommand(VisitorBasedCodemodCommand):
        DESCRIPTION = "Add minute=0 to crontab(...) schedules that set an hour/day but no minute."

        def __init__(self, context: CodemodContext) -> None:
            super().__init__(context)
            self.names = NameTable()
            self.scopes: list[frozenset[str]] = []

        def visit_Module(self, node: cst.Module) -> bool:
            self.names = build_name_table(node, self.context.full_module_name or "")
            return True

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            self.scopes.append(frozenset(local_bindings(node)))
            return True

        def leave_FunctionDef(self, original_node, updated_node):
            self.scopes.pop()
            return updated_node

        def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
            resolver = Resolver(self.names, self.scopes[-1] if self.scopes else frozenset())
            if minute_missing(resolver, original_node):
                return add_minute(updated_node)
            return updated_node

    return CrontabMinuteCommand


__getattr__, __dir__ = lazy_command(globals(), "CrontabMinuteCommand", _build_command)
