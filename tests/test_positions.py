"""The engine's targeted positions equal libcst's PositionProvider, and in-place codegen of a
node reproduces the module's text at its span (what the fix splicing relies on)."""

import argparse
import email.message

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from celery_fix.engine.positions import code_in_place, spans_of


@pytest.mark.parametrize("source_module", [argparse, email.message], ids=lambda m: m.__name__)
def test_positions_match_position_provider(source_module):
    with open(source_module.__file__, encoding="utf-8") as handle:
        module = cst.parse_module(handle.read())
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    nodes = list(expected)[::5]
    spans = spans_of(module, nodes)
    for node in nodes:
        want, got = expected[node], spans[id(node)]
        assert (got.line, got.column, got.end_line, got.end_column) == (
            want.start.line, want.start.column, want.end.line, want.end.column,
        ), type(node).__name__


def test_code_in_place_reproduces_statements_and_calls():
    with open(argparse.__file__, encoding="utf-8") as handle:
        module = cst.parse_module(handle.read())
    code = module.code
    nodes = [n for n in MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
             if isinstance(n, (cst.Call, cst.SimpleStatementLine, cst.FunctionDef, cst.Dict, cst.Decorator))]
    spans = spans_of(module, nodes)
    for node in nodes:
        span = spans[id(node)]
        assert code_in_place(module, node, span.indent_tokens) == code[span.start_offset : span.end_offset]


# -- positions from the top-level statements alone (statement_spans) -----------------------------
import ast  # noqa: E402
from pathlib import Path  # noqa: E402

from celery_fix.engine import elide  # noqa: E402
from celery_fix.engine.positions import statement_spans  # noqa: E402
from celery_fix.syntax.walk import walk  # noqa: E402

_ROOT = Path(__file__).resolve().parent.parent
_FILES = sorted(
    [*(_ROOT / "examples" / "shop").rglob("*.py"), *(_ROOT / "snapshots").rglob("*.py")]
) + [Path(argparse.__file__), Path(email.message.__file__)]


def _all_nodes(module: cst.Module) -> list[cst.CSTNode]:
    nodes: list[cst.CSTNode] = []
    for statement in module.body:
        walk(statement, lambda node: nodes.append(node) or True)
    return nodes


def _same_spans(module: cst.Module, source: bytes, first: tuple[int, ...]) -> None:
    nodes = _all_nodes(module)
    code = source.decode(module.encoding)
    whole = spans_of(module, nodes)
    for sample in (nodes, nodes[::7], nodes[-3:], nodes[:1]):
        got = statement_spans(module, sample, first, code)
        assert got is not None
        assert {id(node): got[id(node)] for node in sample} == {id(node): whole[id(node)] for node in sample}


@pytest.mark.parametrize("path", _FILES, ids=lambda p: str(p.relative_to(p.parent.parent)))
def test_statement_spans_equal_the_whole_codegen(path):
    source = path.read_bytes()
    module = cst.parse_module(source)
    _same_spans(module, source, elide.first_lines_of(ast.parse(source).body))
    # the outline's lines for the module, and for it reduced (the engine's first pass)
    shape = elide.outline(ast.parse(source).body, source)
    assert elide.first_lines(shape) == elide.first_lines_of(ast.parse(source).body)
    plan = elide.plan_of(shape, source, (b".delay",))
    reduced = elide.apply_plan(source, plan)
    if reduced is not None:
        _same_spans(cst.parse_module(reduced), reduced, elide.first_lines(shape, plan))


@pytest.mark.parametrize(
    "source",
    [
        "x = 1; y = 2\n\n# c\n\n@(\n    deco\n)\ndef f():\n    return 1\n",
        "@ \\\n  deco\ndef f():\n    pass\n# trailing\nz = 3\n",
        "x = 1\nx = 1\nx = 1",  # no trailing newline
        "\ufeffimport os\nos.sep\n",
        "if x:\n    pass\n  # footer\nelse:\n    pass\n\n\nclass A:\n    '''doc'''\n\n    # c\n    def f(self): ...\n",
    ],
)
def test_statement_spans_on_odd_layouts_equal_or_fall_back(source):
    """A layout the `ast` lines misplace (a decorator in brackets, a `@` continued on the next
    line, no final newline) gives None (spans_of then generates the module), never wrong spans."""
    data = source.encode("utf-8")
    module = cst.parse_module(data)
    first = elide.first_lines_of(ast.parse(data).body)
    nodes = _all_nodes(module)
    whole = spans_of(module, nodes)
    got = statement_spans(module, nodes, first, data.decode(module.encoding))
    assert got is None or all(got[id(node)] == whole[id(node)] for node in nodes)
    again = spans_of(module, nodes, first, data.decode(module.encoding))
    assert all(again[id(node)] == whole[id(node)] for node in nodes)


def test_statement_spans_with_wrong_lines_fall_back():
    source = b"import os\n\n\ndef f():\n    return os.sep\n"
    module = cst.parse_module(source)
    nodes = _all_nodes(module)
    assert statement_spans(module, nodes, (1, 3), source.decode()) is None
    assert statement_spans(module, nodes, (1,), source.decode()) is None
    got, whole = statement_spans(module, nodes, (1, 4), source.decode()), spans_of(module, nodes)
    assert all(got[id(node)] == whole[id(node)] for node in nodes)
