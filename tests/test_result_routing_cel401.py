"""CEL401 across files, with a real ProjectIndex (the pattern of test_transaction_index_rules.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from celery_fix.engine.checker import EngineSettings, check_one
from celery_fix.index.build import build_index

TASKS = '''
from celery import shared_task

from shop.celery import app


@shared_task
def price(sku):
    return 10


@shared_task
def fetch(url):
    return url


@shared_task
def merge(pages):
    print(pages)


@shared_task
def notify(order_id):
    print(order_id)


@app.task
def total(order_id):
    return order_id


@shared_task
def linked(order_id):
    return order_id


@shared_task
def on_done(value):
    print(value)
'''

FILES = {
    "shop/__init__.py": "",
    "shop/celery.py": '''
from celery import Celery

app = Celery("shop")
app.config_from_object("django.conf:settings", namespace="CELERY")
''',
    "shop/settings.py": '''
INSTALLED_APPS = ["shop"]
CELERY_BROKER_URL = "redis://localhost"
CELERY_RESULT_BACKEND = "redis://localhost/1"
''',
    "shop/tasks.py": TASKS,
    "shop/views.py": '''
from shop import tasks


def show_price(request, sku):
    return tasks.price.delay(sku).get(timeout=3)


def place(request, order_id):
    tasks.notify.delay(order_id)
    tasks.total.apply_async((order_id,))
    tasks.linked.apply_async((order_id,), link=tasks.on_done.s())
''',
    "shop/workflows.py": '''
from celery import chord

from shop.tasks import fetch, merge


def crawl(urls):
    chord(fetch.s(u) for u in urls)(merge.s())
''',
}


def make(tmp_path: Path, files: dict[str, str]):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.lstrip("\n"), encoding="utf-8")
    return build_index(sorted(tmp_path.rglob("*.py")), tmp_path)


def run(path: Path, index, unsafe: bool = True, options: dict | None = None):
    settings = EngineSettings(codes=("CEL401",), rule_options=options or {}, unsafe_fixes=unsafe, index=index,
                              root=str(path.parent))
    return check_one(str(path), path.read_bytes(), settings)


def found(result) -> list[tuple[str, str | None]]:
    """(the task's function name, as the message names it, and the fix) per finding."""
    return [(f.message.split("`")[1], f.fix) for f in result.findings]


@pytest.fixture
def project(tmp_path):
    return tmp_path, make(tmp_path, FILES)


def test_consumers_in_other_modules_silence_the_task(project):
    root, index = project
    result = run(root / "shop/tasks.py", index)
    # price: `.get()` in views.py; fetch: a chord header in workflows.py; linked: has a link= callback
    assert found(result) == [
        ("merge", "safe"), ("notify", "safe"), ("total", "unsafe"),
        ("on_done", "safe"),
    ]
    assert b"@shared_task(ignore_result=True)\ndef notify" in result.fixed
    assert b"@app.task(ignore_result=True)\ndef total" in result.fixed
    assert b"@shared_task\ndef price" in result.fixed


def test_unsafe_fix_needs_unsafe_fixes(project):
    root, index = project
    result = run(root / "shop/tasks.py", index, unsafe=False)
    assert b"@app.task\ndef total" in result.fixed
    assert b"@shared_task(ignore_result=True)\ndef merge" in result.fixed


def test_quiet_without_the_index(project):
    root, _ = project
    assert run(root / "shop/tasks.py", None).findings == []


def test_no_backend_in_visible_configuration_means_no_finding(tmp_path):
    files = dict(FILES)
    files["shop/settings.py"] = 'INSTALLED_APPS = ["shop"]\nCELERY_BROKER_URL = "redis://localhost"\n'
    index = make(tmp_path, files)
    assert run(tmp_path / "shop/tasks.py", index).findings == []
    # the environment variable CELERY_RESULT_BACKEND is invisible: the option says so
    result = run(tmp_path / "shop/tasks.py", index, options={"result-backend": "configured"})
    assert len(result.findings) == 4


def test_backend_from_an_expression_counts_as_configured(tmp_path):
    files = dict(FILES)
    files["shop/settings.py"] = 'import os\nINSTALLED_APPS = ["shop"]\nCELERY_RESULT_BACKEND = os.environ["RESULTS"]\n'
    index = make(tmp_path, files)
    assert len(run(tmp_path / "shop/tasks.py", index).findings) == 4


def test_global_ignore_result_silences_everything(tmp_path):
    files = dict(FILES)
    files["shop/settings.py"] = FILES["shop/settings.py"] + "CELERY_TASK_IGNORE_RESULT = True\n"
    index = make(tmp_path, files)
    assert run(tmp_path / "shop/tasks.py", index).findings == []


def test_async_result_anywhere_silences_everything(tmp_path):
    files = dict(FILES)
    files["shop/status.py"] = "from celery.result import AsyncResult\n\n\ndef state(i):\n    return AsyncResult(i).state\n"
    index = make(tmp_path, files)
    assert run(tmp_path / "shop/tasks.py", index).findings == []


def test_result_id_kept_silences_the_task(tmp_path):
    files = dict(FILES)
    files["shop/api.py"] = "from shop.tasks import notify\n\n\ndef start(request, pk):\n    return {'id': notify.delay(pk).id}\n"
    index = make(tmp_path, files)
    assert "notify" not in [name for name, _ in found(run(tmp_path / "shop/tasks.py", index))]


def test_dynamic_send_task_with_used_result_silences_everything(tmp_path):
    files = dict(FILES)
    files["shop/remote.py"] = (
        "from shop.celery import app\n\n\ndef call(kind, pk):\n"
        "    return app.send_task(f'shop.tasks.{kind}', args=(pk,))\n"
    )
    index = make(tmp_path, files)
    assert run(tmp_path / "shop/tasks.py", index).findings == []


def test_base_class_ignore_result_in_another_module(tmp_path):
    files = dict(FILES)
    files["shop/base.py"] = "from celery import Task\n\n\nclass Quiet(Task):\n    ignore_result = True\n"
    files["shop/tasks.py"] = TASKS.replace("@shared_task\ndef notify", "@shared_task(base=Quiet)\ndef notify").replace(
        "from shop.celery import app", "from shop.celery import app\nfrom shop.base import Quiet")
    index = make(tmp_path, files)
    assert "notify" not in [name for name, _ in found(run(tmp_path / "shop/tasks.py", index))]



def test_a_mock_wrapping_the_dispatch_sends_nothing(tmp_path):
    """`patch.object(t, "delay", wraps=t.delay)` hands the real result back to the code under test:
    the test module sends nothing itself, and is not read for the index (a dispatch next to it is)."""
    files = dict(FILES)
    files["shop/tests/__init__.py"] = ""
    test = '''
from unittest import mock

from shop import tasks
from shop.views import place


def test_place():
    with mock.patch.object(tasks.notify, "delay", wraps=tasks.notify.delay) as sent:
        place(None, 1)
    sent.assert_called_once_with(1)
'''
    files["shop/tests/test_views.py"] = test
    index = make(tmp_path, files)
    assert ("notify", "safe") in found(run(tmp_path / "shop/tasks.py", index))
    assert not any("tests" in d.path for d in index.dispatches)
    assert str(tmp_path / "shop/tests/test_views.py") not in index.dispatching_files
    assert (index.stats.parsed, index.stats.skipped) == (5, 3)  # the test module among the skipped
    files["shop/tests/test_views.py"] = test + "    tasks.notify.delay(2).get()\n"
    index = make(tmp_path, files)
    assert [d.line for d in index.dispatches if "tests" in d.path] == [11]
    assert "notify" not in [name for name, _ in found(run(tmp_path / "shop/tasks.py", index))]
