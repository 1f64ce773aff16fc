"""CEL401's fix under a real Celery worker (memory:// broker, cache+memory:// result backend).

The module below is fixed by celery-fix's engine with a ProjectIndex built over it (the task
returning nothing gets the safe fix; the one returning a value only the unsafe fix), both the
original and the fixed module are imported (their tasks registered with the session app, the
running worker told about them), and each task is run by the real worker. Before the fix the
result backend holds the result (`SUCCESS`); after it, nothing is stored (`PENDING`).
Completion is awaited with `task_postrun`, not `.get()`, which never returns for an ignored result.
"""

from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path

import pytest

from celery_fix.engine.checker import EngineSettings, check_one
from celery_fix.index.build import build_index

SOURCE = '''\
from celery import shared_task


@shared_task
def record(order_id):
    print("recorded", order_id)


@shared_task(acks_late=True)
def total(order_id):
    return order_id * 2
'''
BEFORE = pytest.mark.xfail(strict=True, raises=AssertionError, reason="the stored result celery-fix removes")
_COUNTER = itertools.count()


def fix(tmp_path: Path, unsafe: bool) -> tuple[str, list]:
    path = tmp_path / "results_mod.py"
    path.write_text(SOURCE, encoding="utf-8")
    index = build_index([path], tmp_path)
    settings = EngineSettings(codes=("CEL401",), rule_options={}, unsafe_fixes=unsafe, index=index, root=str(tmp_path))
    result = check_one(str(path), path.read_bytes(), settings)
    assert result.error is None
    return (result.fixed or path.read_bytes()).decode(), result.findings


def load(tmp_path: Path, source: str, worker, celery_app):
    celery_app.set_current()  # other tests create apps of their own; shared_task binds to the current one
    name = f"cfx_ignore_result_{next(_COUNTER)}"
    path = tmp_path / f"{name}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # shared_task binds to the session app (set as current)
    worker.consumer.update_strategies()  # the worker started before these tasks existed
    return module, name


def state_after_run(celery_app, task, finished, *args) -> str:
    result = task.delay(*args)
    assert finished(result.id).wait(5), "the worker did not run the task"
    return celery_app.AsyncResult(result.id).state


def test_fix_findings(tmp_path):
    fixed, findings = fix(tmp_path, unsafe=True)
    assert [(f.line, f.fix) for f in findings] == [(4, "safe"), (9, "unsafe")]
    assert "@shared_task(ignore_result=True)\ndef record" in fixed
    assert "@shared_task(acks_late=True, ignore_result=True)\ndef total" in fixed
    safe_only, _ = fix(tmp_path, unsafe=False)
    assert "@shared_task(ignore_result=True)\ndef record" in safe_only
    assert "@shared_task(acks_late=True)\ndef total" in safe_only


@pytest.mark.parametrize("version, expected", [
    pytest.param("before", "SUCCESS", id="before-stores"),
    pytest.param("after", "PENDING", id="after-stores-nothing"),
    pytest.param("before", "PENDING", id="before-must-fail", marks=BEFORE),
])
@pytest.mark.parametrize("task_name", ["record", "total"])
def test_result_is_not_stored_after_the_fix(tmp_path, celery_app, worker, finished, version, expected, task_name):
    source = SOURCE if version == "before" else fix(tmp_path, unsafe=True)[0]
    _, module_name = load(tmp_path, source, worker, celery_app)
    task = celery_app.tasks[f"{module_name}.{task_name}"]
    assert task.ignore_result is (version == "after")
    assert state_after_run(celery_app, task, finished, 21) == expected


def test_before_fix_the_value_is_really_in_the_backend(tmp_path, celery_app, worker, finished):
    _, module_name = load(tmp_path, SOURCE, worker, celery_app)
    result = celery_app.tasks[f"{module_name}.total"].delay(21)
    assert finished(result.id).wait(5)
    assert celery_app.AsyncResult(result.id).get(timeout=5, interval=0.01) == 42
