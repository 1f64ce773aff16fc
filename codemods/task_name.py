"""Pin a task's name: add `name="<the name Celery computes today>"` to its decorator (the CEL504 fix).

Celery names a task `f"{func.__module__}.{func.__name__}"` (celery/utils/imports.py
`gen_task_name`) unless `name=` is given. Writing that name down changes nothing at run time
and keeps beat entries, routes and queued messages working after the module moves.
"""

from __future__ import annotations

import libcst as cst

from celery_fix.codemods._lazy import lazy_command
from celery_fix.codemods.ignore_result import add_decorator_option, can_add_option
from celery_fix.constructs.names import NameTable, build_name_table
from celery_fix.constructs.tasks import task_decorator


def string_literal(text: str) -> cst.SimpleString:
    return cst.SimpleString('"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')


def add_task_name(decorator: cst.Decorator, name: str) -> cst.Decorator:
    return add_decorator_option(decorator, "name", string_literal(name))


def _build_command():
    from libcst.codemod import CodemodContext, VisitorBasedCodemodCommand

    class TaskNameCommand(VisitorBasedCodemodCommand):
        DESCRIPTION = (
            "Add name=\"<module>.<function>\" to Celery tasks without one (the module name comes from "
            "libcst's full_module_name: run it from the directory Python imports the project from)."
        )

        def __init__(self, context: CodemodContext) -> None:
            super().__init__(context)
            self.names = NameTable()
            self.depth = 0

        def visit_Module(self, node: cst.Module) -> bool:
            self.names = build_name_table(node, self.context.full_module_name or "")
            return True

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            self.depth += 1
            return True

        def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
            self.depth -= 1
            module = self.context.full_module_name
            if self.depth or not module:
                return updated_node
            for position, decorator in enumerate(original_node.decorators):
                task = task_decorator(self.names, decorator)
                if task is None:
                    continue
                if "name" in task.options or task.options_unknown or not can_add_option(self.names, task):
                    return updated_node
                decorators = list(updated_node.decorators)
                decorators[position] = add_task_name(decorators[position], f"{module}.{original_node.name.value}")
                return updated_node.with_changes(decorators=decorators)
            return updated_node

    return TaskNameCommand


__getattr__, __dir__ = lazy_command(globals(), "TaskNameCommand", _build_command)
