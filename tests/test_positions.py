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
