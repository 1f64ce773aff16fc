"""Module reduction one level down: the methods of a kept class that no rule can need are blanked out."""

from __future__ import annotations

import ast

from celery_fix.engine.elide import reduce_module

WORDS = (b".delay", b"atomic")
FILLER = "".join(f"\n\ndef helper_{i}():\n    return {i}\n" for i in range(4))


def test_a_view_class_keeps_the_dispatching_method_and_what_it_calls():
    source = ('''
from celery import shared_task


class OrderView:
    queue = "orders"

    def post(self, request):
        self.check(request)
        send.delay(request.id)

    def check(self, request):
        return request.ok

    def render(self, data):
        return str(data) * 100
''' + FILLER * 60).encode()
    reduced = reduce_module(source, WORDS)
    assert reduced is not None and len(reduced.splitlines()) == len(source.splitlines())
    text = reduced.decode()
    assert "def post" in text and "def check" in text and 'queue = "orders"' in text  # named by post, class attribute
    assert "def render" not in text
    ast.parse(reduced)


def test_a_class_whose_methods_all_go_keeps_one_statement():
    source = ("class Tasks:\n    wrapper = atomic\n\n    def run(self):\n        return 1\n\n    def b(self):\n"
              "        return 2\n\n\nclass Helpers:  # atomic\n    def c(self):\n        return 3\n" + FILLER * 60).encode()
    text = reduce_module(source, WORDS).decode()
    assert "def run" in text and "def b" not in text  # `run` is what a class task's rules read
    assert "class Helpers" in text and "def c" in text  # its only method: a class body cannot be empty
    ast.parse(text)


def test_a_method_sharing_its_class_line_is_left_alone():
    source = ("class One: x = send.delay(1)\n\n\nclass Two:\n    def a(self): return 1\n    def b(self):\n"
              "        return send.delay(2)\n" + FILLER * 60).encode()
    reduced = reduce_module(source, WORDS)
    ast.parse(reduced)
    assert b"def b" in reduced
