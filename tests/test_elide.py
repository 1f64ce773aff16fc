"""Module reduction one level down: the methods of a kept class that no rule can need are blanked out."""

from __future__ import annotations

import ast

import pytest

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


def _kept(source: str, words=WORDS) -> str:
    reduced = reduce_module(source.encode(), words)
    text = (reduced if reduced is not None else source.encode()).decode()
    ast.parse(text)
    assert len(text.splitlines()) == len(source.splitlines())
    return text


def test_a_function_under_decorators_no_rule_reads_is_blanked_whole():
    source = ('''
import pytest
from unittest import mock

TOTAL = 1  # (the statement new imports go before stays)


@pytest.fixture
@mock.patch("shop.mail.send")
def customer(send):
    return make_customer()


class Fields:
    @property
    def total(self):
        return 1

    @classmethod
    def build(cls):
        return cls()
''' + FILLER * 60)
    text = _kept(source)
    assert "def customer" not in text and "@pytest.fixture" not in text and "@mock.patch" not in text
    assert "def total" not in text and "@property" not in text and "def build" not in text


def test_a_decorator_a_rule_can_read_keeps_its_function():
    source = ('''
import pytest
from celery import shared_task as job
from shop.jobs import background
from unittest import mock

property = job  # rebound: no longer the builtin


@job
def plain_alias():
    return 1


@background
def project_decorator():
    return 2


@property
def rebound_builtin():
    return 3


@mock.patch("shop.tasks.send.delay")
def patched(send):
    return 4


@pytest.fixture
def uses_a_kept_helper():
    return plain_alias()
''' + FILLER * 60)
    text = _kept(source)
    for name in ("plain_alias", "project_decorator", "rebound_builtin", "patched", "uses_a_kept_helper"):
        assert f"def {name}" in text, name


def test_a_star_import_keeps_decorated_functions():
    source = "from shop.helpers import *\n\n\n@property\ndef maybe_a_task():\n    return 1\n" + FILLER * 60
    assert "def maybe_a_task" in _kept(source)


def test_callers_of_a_helper_kept_only_for_its_caller_are_blanked():
    source = ('''
class Plugin:
    def order_created(self, order):
        self.trigger(order, queue="orders")

    def order_updated(self, order):
        self.trigger(order)

    def trigger(self, order, **options):
        return self.webhooks(order), options

    def webhooks(self, order):
        return order.hooks

    def notify(self, order):
        self.waits(order)

    def waits(self, order):
        return send.delay(order.id)

    def outer(self, order):
        return self.notify(order)


def view(request):
    return Plugin().outer(request.order)
''' + FILLER * 60)
    text = _kept(source, (b"queue", b".delay"))
    # what kept code calls stays (trigger, and webhooks it calls in turn)
    assert "def order_created" in text and "def trigger" in text and "def webhooks" in text
    assert "def order_updated" not in text  # calls only a helper with no word of its own
    # a helper that dispatches keeps its callers, and theirs, at every level
    assert "def waits" in text and "def notify" in text and "def outer" in text and "def view" in text


def _parsed_by_the_rules(monkeypatch, source: str, *codes: str) -> str:
    """What the engine hands libcst for `source` with `codes` on (elide.py's reduction of it)."""
    from celery_fix.engine import checker

    parsed: list[bytes] = []
    real = checker._parse

    def recording(path, text):
        parsed.append(text)
        return real(path, text)

    monkeypatch.setattr(checker, "_parse", recording)
    checker.check_one("views.py", source.encode(), checker.EngineSettings(codes=codes, rule_options={}))
    return parsed[0].decode()


VIEWS = '''
from django.db import transaction

from shop.jobs import send


def order_view(request):
    with transaction.atomic():
        send.delay(request.id)


def parse(text):
    try:
        return int(text)
    except ValueError:
        print(text)
''' + FILLER * 60


def test_only_the_words_of_the_rules_that_run_on_the_file_keep_a_definition(monkeypatch):
    # no task here: the rules on `except` and `print` (task bodies) do not run, their words keep nothing
    text = _parsed_by_the_rules(monkeypatch, VIEWS, "CEL701", "CEL902", "CEL904")
    assert "def order_view" in text and "def parse" not in text


def test_a_rule_that_runs_on_the_file_keeps_only_what_its_keep_words_name(monkeypatch):
    source = VIEWS.replace("from shop.jobs import send", "from celery import shared_task\n\n\n@shared_task\ndef send(pk):\n    return pk")
    text = _parsed_by_the_rules(monkeypatch, source, "CEL701", "CEL902", "CEL904")
    # a task here: CEL902 and CEL904 run, but read only task bodies (KEEP_WORDS, not their TRIGGERS
    # `except`/`print`): a helper no task calls goes
    assert "def order_view" in text and "def send" in text and "def parse" not in text
    called = source.replace("    return pk", "    return parse(pk)")
    assert "def parse" in _parsed_by_the_rules(monkeypatch, called, "CEL701", "CEL902", "CEL904")


# a finding each narrower KEEP_WORDS (and the class-task keeps of elide.py) must leave in place:
# (rules, what must be found, module)
KEPT_FINDINGS = {
    "class task by its run": (("CEL902",), "CEL902", '''
from celery import Celery

app = Celery("shop")


def first():
    return 0


class Sync(app.Task):
    def run(self, pk):
        try:
            return pk / 0
        except Exception:
            pass
'''),
    "task defined in a class body": (("CEL902", "CEL904"), "CEL904", '''
from celery import shared_task


def first():
    return 0


class Jobs:
    @shared_task
    def sync(pk):
        print(pk)
'''),
    "apply_async options": (("CEL308",), "CEL308", '''
from shop.tasks import ping


def first():
    return 0


def later():
    ping.apply_async(countdwon=5)
'''),
    "a literal broker URL": (("CEL604",), "CEL604", '''
from celery import Celery


def first():
    return 0


def make_app():
    return Celery("shop", broker="redis://:hunter2@cache:6379/0")
'''),
    "the module's own print (named by the task)": (("CEL904",), None, '''
from celery import shared_task


def first():
    return 0


def print(*args):
    return args


@shared_task
def sync(pk):
    print(pk)
'''),
}


@pytest.mark.parametrize("name", sorted(KEPT_FINDINGS))
def test_narrower_keep_words_lose_no_finding(monkeypatch, name):
    from celery_fix.engine import checker

    codes, expected, module = KEPT_FINDINGS[name]
    source = module + FILLER * 60
    text = _parsed_by_the_rules(monkeypatch, source, *codes)
    assert len(text.strip()) < len(source.strip())  # reduced
    reduced, whole = (checker.check_one("views.py", source.encode(), checker.EngineSettings(
        codes=codes, rule_options={}, prefilter=prefilter)) for prefilter in (True, False))
    assert (reduced.findings, reduced.fixed) == (whole.findings, whole.fixed)
    found = [f.code for f in whole.findings]
    assert (expected in found) if expected else not found


def test_a_class_or_method_decorator_keeps_only_what_may_be_a_task():
    source = ('''
from celery import shared_task
from drf_spectacular.utils import extend_schema_view
from rest_framework.decorators import action

from shop.tasks import send


@extend_schema_view(list=None)
class DocumentViewSet:
    @action(detail=True)
    def notes(self, request):
        return request.data * 100

    @action(detail=True)
    def mail(self, request):
        send.delay(request.id)


@extend_schema_view(list=None)
class LogViewSet:
    def list(self, request):
        return []
''' + FILLER * 60).encode()
    text = reduce_module(source, (b".delay",)).decode()
    assert "class DocumentViewSet" in text and "def mail" in text and "def notes" not in text
    assert "class LogViewSet" not in text


def test_the_projects_atomic_functions_keep_definitions_for_the_transaction_rules():
    from celery_fix.engine import checker

    settings = checker.EngineSettings(codes=("CEL701", "CEL902"), rule_options={"atomic-functions": ["shop.db.locked"]})
    checker._init_worker(settings)
    by_code = {r.CODE: r for r in checker._RULES}
    assert b"locked" in checker._words_of([by_code["CEL701"]])
    assert checker._words_of([by_code["CEL902"]]) == ()


def test_broker_credentials_in_test_code_need_no_parse():
    from celery_fix.rules.hard_coded_broker_credentials import HardCodedBrokerCredentialsRule as rule

    source = b'BROKER_URL = "redis://:pw@h/0"\n'
    assert rule.relevant(source, None, "shop/settings.py") and rule.relevant(source, None, None)
    assert not rule.relevant(source, None, "shop/tests/test_settings.py")  # never reported there


@pytest.mark.parametrize("name", sorted(KEPT_FINDINGS))
def test_the_index_outline_plans_what_the_engines_own_parse_would(monkeypatch, name):
    """The index's worker sends each module's outline: the engine plans its reduction for the
    file's own words from it, with no second `ast` parse, and parses the same text."""
    from celery_fix.engine import checker, elide

    codes, _, module = KEPT_FINDINGS[name]
    source = (module + FILLER * 60).encode()
    settings = checker.EngineSettings(codes=codes, rule_options={})
    shape = elide.outline(ast.parse(source).body, source)
    parsed = {}
    real = checker._parse

    def recording(path, text):
        parsed.setdefault(path, text)
        return real(path, text)

    monkeypatch.setattr(checker, "_parse", recording)
    checker._init_worker(settings)
    own = checker.check_source("own.py", source)
    monkeypatch.setattr(checker, "outline_of", None)  # would fail if called
    planned = checker.check_source("planned.py", source, shape)
    assert parsed["own.py"] == parsed["planned.py"] and len(parsed["own.py"]) < len(source)
    assert [(f.line, f.code, f.message) for f in own.findings] == [(f.line, f.code, f.message) for f in planned.findings]
