"""Add `ignore_result=True` to a task's decorator (the CEL401 fix), and the decorator-option edit
that the CEL504 fix (codemods/task_name.py) shares.

`@shared_task` becomes `@shared_task(ignore_result=True)`; `@app.task(bind=True)` becomes
`@app.task(bind=True, ignore_result=True)`; an exploded call keeps one argument per line and its
trailing comma (celery_fix/syntax/edit.py, the same layout rules as the CEL202 fix).
"""

from __future__ import annotations

import libcst as cst

from celery_fix.codemods._lazy import lazy_command
from celery_fix.syntax.edit import append_kwargs, keyword_arg
from celery_fix.constructs.names import NameTable, build_name_table
from celery_fix.constructs.tasks import TaskDecorator, task_decorator
from celery_fix.syntax.walk import visit_readonly


def can_add_option(names: NameTable, task: TaskDecorator) -> bool:
    """Whether a keyword can be added to this task's decorator: a call of `shared_task`/`app.task`
    (or an alias of them), or the bare decorator. Not a preset (`retrying = shared_task(...)`:
    `@retrying(...)` would call the finished decorator) and not the functional form."""
    if task.decorator is None:
        return False
    expr = task.decorator.decorator
    if task.call is None:
        binding = names.binding_of(expr)
        if binding is not None and binding.kind == "task_preset":
            return False
        return isinstance(expr, (cst.Name, cst.Attribute))
    return expr is task.call


def add_decorator_option(decorator: cst.Decorator, name: str, value: cst.BaseExpression) -> cst.Decorator:
    """`decorator` with `name=value` added (nothing changes when the keyword is already written)."""
    expr = decorator.decorator
    if isinstance(expr, cst.Call):
        if any(arg.keyword is not None and arg.keyword.value == name for arg in expr.args):
            return decorator
        return decorator.with_changes(decorator=append_kwargs(expr, [keyword_arg(name, value)]))
    return decorator.with_changes(decorator=cst.Call(func=expr, args=[keyword_arg(name, value)]))


def add_ignore_result(decorator: cst.Decorator) -> cst.Decorator:
    return add_decorator_option(decorator, "ignore_result", cst.Name("True"))


def returns_value(function: cst.FunctionDef) -> bool:
    """Whether some `return` in the function's own body (not nested functions) gives a value
    other than `None`, or the function is a generator."""
    finder = _ReturnFinder()
    visit_readonly(function.body, finder)
    return finder.found


class _ReturnFinder(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found = False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Return(self, node: cst.Return) -> None:
        value = node.value
        if value is not None and not (isinstance(value, cst.Name) and value.value == "None"):
            self.found = True

    def visit_Yield(self, node: cst.Yield) -> None:
        self.found = True


def _build_command():
    import argparse

    from libcst.codemod import CodemodContext, VisitorBasedCodemodCommand

    class IgnoreResultCommand(VisitorBasedCodemodCommand):
        DESCRIPTION = (
            "Add ignore_result=True to tasks that return nothing (all tasks with --include-returning; "
            "only the named ones with --task). Without celery-fix's ProjectIndex it cannot see whether "
            "some code reads a result: prefer `celery-fix --select CEL401`."
        )

        @staticmethod
        def add_args(arg_parser: argparse.ArgumentParser) -> None:
            arg_parser.add_argument("--task", dest="tasks", action="append", default=None,
                                    help="function name of a task to change (repeatable); default: every task")
            arg_parser.add_argument("--include-returning", dest="include_returning", action="store_true",
                                    help="also tasks that return a value (its result is then lost)")

        def __init__(self, context: CodemodContext, tasks: list[str] | None = None, include_returning: bool = False) -> None:
            super().__init__(context)
            self.tasks = set(tasks) if tasks else None
            self.include_returning = include_returning
            self.names = NameTable()

        def visit_Module(self, node: cst.Module) -> bool:
            self.names = build_name_table(node, self.context.full_module_name or "")
            return True

        def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
            if self.tasks is not None and original_node.name.value not in self.tasks:
                return updated_node
            if not self.include_returning and returns_value(original_node):
                return updated_node
            for position, decorator in enumerate(original_node.decorators):
                task = task_decorator(self.names, decorator)
                if task is None:
                    continue
                if "ignore_result" in task.options or task.options_unknown or not can_add_option(self.names, task):
                    return updated_node
                decorators = list(updated_node.decorators)
                decorators[position] = add_ignore_result(decorators[position])
                return updated_node.with_changes(decorators=decorators)
            return updated_node

    return IgnoreResultCommand


__getattr__, __dir__ = lazy_command(globals(), "IgnoreResultCommand", _build_command)
