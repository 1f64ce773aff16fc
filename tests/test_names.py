"""The one name-table builder (constructs/bindings.py) seen from both trees: the index's `ast`
table and the rules' libcst table of a module agree name for name, and the libcst table's
bindings point at libcst nodes."""

from __future__ import annotations

import ast

import libcst as cst
import pytest

from celery_fix.constructs import bindings
from celery_fix.constructs.names import build_name_table

SOURCE = '''
"""doc"""
import os.path
import celery as c
from celery import Celery, shared_task as st
from . import sibling
from ..pkg import thing as other
from x import *
app = Celery("proj")
task = app.task
preset = st(bind=True, max_retries=3)
alias = preset
OPTIONS: dict = {"queue": "q"}
path_join = os.path.join
called = os.getcwd()
a = b = c.current_app
first, second = 1, 2
try:
    from fast import loads
except ImportError:
    from json import loads
else:
    extra = 1
finally:
    done = True
if os:
    def helper(): pass
elif c:
    class Helper: pass
else:
    async def helper(): pass
with open("f") as fh:
    inner = app
for loop_var in ():
    not_bound = 1
annotated: int
'''


def _summary(table) -> dict[str, tuple[str, str]]:
    return {name: (b.qualname, b.kind) for name, b in table.bindings.items()}


@pytest.mark.parametrize("module_name, is_package", [("proj.mod", False), ("proj", True), ("", False)])
def test_ast_and_libcst_tables_agree(module_name, is_package):
    from_ast = bindings.build_name_table(ast.parse(SOURCE), module_name, is_package)
    from_cst = build_name_table(cst.parse_module(SOURCE), module_name, is_package=is_package)
    assert _summary(from_cst) == _summary(from_ast)
    assert list(from_cst.bindings) == list(from_ast.bindings)  # same order: later bindings win alike
    assert from_cst.bindings["app"].kind == "app" and from_cst.bindings["task"].kind == "task_decorator"
    assert from_cst.bindings["preset"].kind == "task_preset" and from_cst.bindings["alias"] is from_cst.bindings["preset"]
    assert "not_bound" not in from_cst.bindings and "first" not in from_cst.bindings


def test_libcst_bindings_hold_libcst_nodes():
    module = cst.parse_module(SOURCE)
    table = build_name_table(module, "proj.mod")
    preset = table.bindings["preset"].node
    assert isinstance(preset, cst.Call) and [a.keyword.value for a in preset.args] == ["bind", "max_retries"]
    assert isinstance(table.bindings["OPTIONS"].node, cst.AnnAssign)
    assert isinstance(table.bindings["OPTIONS"].node.value, cst.Dict)
    assert isinstance(table.bindings["helper"].node, cst.FunctionDef)  # the last one: `async def`
    assert table.bindings["helper"].node.asynchronous is not None
    assert table.resolve(cst.parse_expression("path_join")) == "os.path.join"
    assert table.resolve(cst.parse_expression("other.x")) == "pkg.thing.x"
    assert table.is_celery_app(cst.parse_expression("a")) and table.is_task_factory(cst.parse_expression("app.task"))


def test_newer_syntax_than_this_python_still_binds():
    """libcst parses PEP 695/701 code the running Python's `ast` may not: the table does not
    depend on it (each statement stands in by what it binds)."""
    source = "from celery import shared_task\ntype Alias = list[int]\nst = shared_task\n@st\ndef f[T](x: T) -> T:\n    return x\nclass C[T]: pass\n"
    table = build_name_table(cst.parse_module(source), "m")
    assert _summary(table) == {
        "shared_task": ("celery.shared_task", "import"),
        "st": ("m.st", "task_decorator"),
        "f": ("m.f", "def"),
        "C": ("m.C", "def"),
    }
