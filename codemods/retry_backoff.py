"""Add exponential backoff to tasks that retry automatically (the CEL202 fix)."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from celery_fix.codemods._lazy import lazy_command
from celery_fix.syntax.edit import append_kwargs, keyword_arg
from celery_fix.constructs.names import NameTable, build_name_table, is_task_factory
from celery_fix.constructs.tasks import TaskDecorator, is_false_literal, read_call_options

DEFAULT_BACKOFF_MAX = 600  # Celery's own default for retry_backoff_max


@dataclass
class BackoffPlan:
    call: cst.Call
    # False when retry_backoff is written and switched off: a choice we report but do not undo
    fixable: bool


def plan_backoff(table: NameTable, call: cst.Call) -> BackoffPlan | None:
    """A plan when `call` makes a task (`shared_task(...)`, `app.task(...)`) with `autoretry_for`
    and no retry_backoff; None when there is nothing to do or the options cannot be read."""
    if not is_task_factory(table, call.func):
        return None
    task = TaskDecorator(decorator=None, call=call)
    read_call_options(table, call, task)
    retry_on = task.options.get("autoretry_for")
    if retry_on is None or _is_empty_sequence(retry_on):
        return None
    if "base" in task.options and not _is_celery_task_class(table, task.options["base"]):
        return None  # a project base class may set retry_backoff itself
    backoff = task.options.get("retry_backoff")
    if backoff is None:
        return None if task.options_unknown else BackoffPlan(call, fixable=True)
    return BackoffPlan(call, fixable=False) if is_false_literal(backoff) else None


def add_backoff(call: cst.Call, backoff_max: int = DEFAULT_BACKOFF_MAX, explicit_defaults: bool = True) -> cst.Call:
    """`call` with retry_backoff=True and, when `explicit_defaults`, the retry_backoff_max and
    retry_jitter that spell out the policy; options already written are left alone."""
    present = {arg.keyword.value for arg in call.args if arg.keyword is not None}
    wanted = [("retry_backoff", cst.Name("True"))]
    if explicit_defaults:
        wanted += [("retry_backoff_max", cst.Integer(str(backoff_max))), ("retry_jitter", cst.Name("True"))]
    new_args = [keyword_arg(name, value) for name, value in wanted if name not in present]
    return append_kwargs(call, new_args)


def _is_empty_sequence(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, (cst.Tuple, cst.List)) and not expr.elements


def _is_celery_task_class(table: NameTable, expr: cst.BaseExpression) -> bool:
    return table.resolve(expr) in {"celery.Task", "celery.app.task.Task"}


def _build_command():
    import argparse

    from libcst.codemod import CodemodContext, VisitorBasedCodemodCommand

    class RetryBackoffCommand(VisitorBasedCodemodCommand):
        DESCRIPTION = "Add retry_backoff=True (and explicit retry_backoff_max / retry_jitter) to tasks with autoretry_for."

        @staticmethod
        def add_args(arg_parser: argparse.ArgumentParser) -> None:
            arg_parser.add_argument("--backoff-max", dest="backoff_max", type=int, default=DEFAULT_BACKOFF_MAX)
            arg_parser.add_argument(
                "--no-explicit-defaults", dest="explicit_defaults", action="store_false",
                help="add only retry_backoff=True, not the max and jitter that Celery defaults to",
            )

        def __init__(self, context: CodemodContext, backoff_max: int = DEFAULT_BACKOFF_MAX, explicit_defaults: bool = True) -> None:
            super().__init__(context)
            self.backoff_max = backoff_max
            self.explicit_defaults = explicit_defaults
            self.names = NameTable()

        def visit_Module(self, node: cst.Module) -> bool:
            self.names = build_name_table(node, self.context.full_module_name or "")
            return True

        def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
            plan = plan_backoff(self.names, original_node)
            if plan is None or not plan.fixable:
                return updated_node
            return add_backoff(updated_node, self.backoff_max, self.explicit_defaults)

    return RetryBackoffCommand


__getattr__, __dir__ = lazy_command(globals(), "RetryBackoffCommand", _build_command)
