"""CEL1xx / CEL3xx / CEL6xx with a ProjectIndex over several modules, and the facts their rules
rely on: Celery's option lists (checked against the installed Celery), test-code paths, the
pickle fix on sequences."""

from pathlib import Path

import libcst as cst
import pytest

from celery_fix.codemods.json_serializer import drop_pickle
from celery_fix.constructs.task_options import APPLY_ASYNC_OPTIONS, KNOWN_TASK_OPTIONS, TASK_ATTRIBUTES, close_match
from celery_fix.constructs.test_code import is_test_path
from celery_fix.engine.checker import EngineSettings, check_one
from celery_fix.index.build import build_index
from celery_fix.rules.visibility_timeout_below_runtime import transport

FILES = {
    "shop/__init__.py": "",
    "shop/settings.py": """
INSTALLED_APPS = ["shop"]
CELERY_BROKER_URL = "redis://cache:6379/0"
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 900}
CELERY_TASK_ACKS_LATE = True
""",
    "shop/base.py": """
from celery import Task


class LockedTask(Task):
    lock_ttl = 60
    time_limit = 1200
""",
    "shop/tasks.py": """
from celery import shared_task

from shop.base import LockedTask


@shared_task
def send_receipt(order_id):
    Receipt.objects.create(order_id=order_id)


@shared_task(base=LockedTask, lock_ttl=30, ignore_results=True)
def rebuild(report_pk):
    pass
""",
    "shop/views.py": """
from shop.models import Order
from shop.tasks import rebuild, send_receipt


def checkout(request, pk):
    order = Order.objects.get(pk=pk)
    send_receipt.delay(order)
    rebuild.apply_async(args=(order,))
""",
}


@pytest.fixture
def project(tmp_path: Path):
    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text.lstrip("\n"), encoding="utf-8")
    return tmp_path, build_index(sorted(tmp_path.rglob("*.py")), tmp_path)


def run(path: Path, code: str, index):
    settings = EngineSettings(codes=(code,), rule_options={}, unsafe_fixes=True, index=index, root=str(path.parent))
    return check_one(str(path), path.read_bytes(), settings)


def test_orm_argument_fixed_from_the_task_in_another_module(project):
    root, index = project
    result = run(root / "shop/views.py", "CEL601", index)
    assert [(f.line, f.fix) for f in result.findings] == [(7, "unsafe"), (8, "unsafe")]
    assert "send_receipt.delay(order.pk)" in result.fixed.decode()
    assert "rebuild.apply_async(args=(order.pk,))" in result.fixed.decode()  # `report_pk`: an id


def test_orm_argument_without_index_reports_only(project):
    root, _ = project
    result = run(root / "shop/views.py", "CEL601", None)
    assert [f.fix for f in result.findings] == [None, None]
    assert result.fixed is None or b"order.pk" not in result.fixed


def test_create_in_task_of_acks_late_project(project):
    root, index = project
    findings = run(root / "shop/tasks.py", "CEL102", index).findings
    assert [f.line for f in findings] == [8]
    assert "task_acks_late" in findings[0].message


def test_unknown_option_but_not_the_base_class_attribute(project):
    root, index = project
    findings = run(root / "shop/tasks.py", "CEL308", index).findings
    assert [f.message.split("`")[3] for f in findings] == ["ignore_results="]


def test_visibility_timeout_below_an_inherited_time_limit(project):
    root, index = project
    findings = run(root / "shop/settings.py", "CEL307", index).findings
    assert len(findings) == 1 and findings[0].line == 3
    assert "900 s" in findings[0].message and "1200 s" in findings[0].message
    assert run(root / "shop/tasks.py", "CEL307", index).findings == []


def test_option_lists_match_installed_celery():
    celery_task = pytest.importorskip("celery.app.task")
    attributes = set()
    for cls in celery_task.Task.__mro__[:-1]:
        attributes |= {a for a in vars(cls) if not a.startswith("_")}
    assert attributes <= KNOWN_TASK_OPTIONS
    assert attributes - {"from_config"} <= TASK_ATTRIBUTES | {"from_config"}
    import inspect

    from celery import Celery

    send_task = set(inspect.signature(Celery.send_task).parameters) - {"self", "name", "options"}
    assert send_task <= APPLY_ASYNC_OPTIONS


def test_close_match_is_unique_or_nothing():
    assert close_match("ignore_results", KNOWN_TASK_OPTIONS) == "ignore_result"
    assert close_match("colour", KNOWN_TASK_OPTIONS) is None
    assert close_match("countdwon", APPLY_ASYNC_OPTIONS) == "countdown"


@pytest.mark.parametrize("path, expected", [
    ("shop/tests/settings.py", True), ("tests/test_tasks.py", True), ("conftest.py", True),
    ("shop/settings/test.py", True), ("proj/test_settings.py", True), ("proj/settings_test.py", True),
    ("shop/tasks_tests.py", True), ("shop/settings/production.py", False), ("shop/latest.py", False),
    ("shop/contest.py", False), ("shop/testimonials/settings.py", False), ("", False), (None, False),
])
def test_test_code_paths(path, expected):
    assert is_test_path(path) is expected


@pytest.mark.parametrize("source, expected", [
    ('["pickle", "json"]', '["json"]'),
    ('["json", "pickle"]', '["json"]'),
    ('("pickle",)', '("json",)'),
    ('["pickle", "yaml"]', '["json", "yaml"]'),
    ('[\n    "json",\n    "pickle",\n]', '[\n    "json",\n]'),
])
def test_drop_pickle(source, expected):
    fixed = drop_pickle(cst.parse_expression(source))
    assert cst.Module(body=[]).code_for_node(fixed) == expected


def test_drop_pickle_leaves_unreadable_sequences():
    assert drop_pickle(cst.parse_expression('["pickle", CONTENT]')) is None


@pytest.mark.parametrize("url, expected", [
    ("redis://cache:6379/0", "redis"), ("rediss://x", "redis"), ("sqs://", "sqs"),
    ("sentinel://a;sentinel://b", "redis"), ("amqp://guest@rabbit//", None), ("<unknown>", None), (None, None),
])
def test_transport(url, expected):
    assert transport(url) == expected


NEW_CODES = ("CEL101", "CEL102", "CEL301", "CEL302", "CEL303", "CEL304", "CEL305", "CEL306", "CEL307", "CEL308",
             "CEL601", "CEL602", "CEL603", "CEL604")
BAD_LITERALS = '''from celery import shared_task, Celery

CELERY_BROKER_URL = "amqp://u:\\N{NO SUCH NAME}@h//"
CELERY_TASK_ALWAYS_EAGER = "\\N{NO SUCH NAME}"
CELERY_ACCEPT_CONTENT = ["\\N{NO SUCH NAME}", "pickle"]
CELERY_TASK_SOFT_TIME_LIMIT = "\\N{NO SUCH NAME}"
CELERY_TASK_TIME_LIMIT = 1
app = Celery("x", broker="\\N{NO SUCH NAME}")


@shared_task(serializer="\\N{NO SUCH NAME}", time_limit="\\N{NO SUCH NAME}")
def t(x_id):
    requests.request("\\N{NO SUCH NAME}", "u")
    t.apply_async(args=(1,), kwargs={"\\N{NO SUCH NAME}": 1})
'''


@pytest.mark.parametrize("code", NEW_CODES)
def test_literals_python_rejects_are_no_internal_error(tmp_path, code):
    # libcst parses "\N{NO SUCH NAME}", evaluating it raises: the rules treat it as unreadable
    path = tmp_path / "settings.py"
    path.write_text(BAD_LITERALS, encoding="utf-8")
    result = run(path, code, None)
    assert result.error is None and not result.internal_error
    if code == "CEL603":
        assert [f.fix for f in result.findings] == [None]  # an element it cannot read: no fix
