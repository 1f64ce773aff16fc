"""Where a module writes `autoretry_for`, and the exception classes it names: a task decorator's
keyword (a tuple, a list, a module-level constant, a constant imported from another project
module, read through the index), or a task class's attribute (what tasks inherit)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Optional

import libcst as cst

from celery_fix.constructs.names import NameTable
from celery_fix.constructs.task_bodies import (
    class_attributes, exception_names, index_exception_names, module_tasks, task_classes,
)


@dataclass
class AutoretrySite:
    node: cst.CSTNode  # the value written (report here)
    exceptions: list[tuple[str, Optional[cst.CSTNode]]]  # (qualname or builtin name, element node)
    where: str  # "decorator" or "class <Name>"


def autoretry_sites(module: cst.Module, names: NameTable, index: Any = None, path: str = "") -> Iterator[AutoretrySite]:
    for task in module_tasks(module, names, index, path):
        if task.decorator is None:
            continue  # class tasks: their attribute is read with the other task classes
        written = task.written("autoretry_for")
        if written is None:
            continue
        found = exception_names(written, names)
        imported = isinstance(written, (cst.Name, cst.Attribute)) and names.bindings.get(
            _root(written), None) is not None and names.bindings[_root(written)].kind == "import"
        if imported and task.info is not None and task.info.option_source("autoretry_for") == "decorator":
            from_index = index_exception_names(task.info.options.get("autoretry_for"))
            found = [(name, None) for name in from_index] if from_index is not None else None
        if found:
            yield AutoretrySite(written, found, "decorator")
    for cls in task_classes(module, names, index):
        written = class_attributes(cls).get("autoretry_for")
        if written is None:
            continue
        found = exception_names(written, names)
        if found:
            yield AutoretrySite(written, found, f"class {cls.name.value}")


def _root(expr: cst.BaseExpression) -> str:
    while isinstance(expr, cst.Attribute):
        expr = expr.value
    return expr.value if isinstance(expr, cst.Name) else ""
