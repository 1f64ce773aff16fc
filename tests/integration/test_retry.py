"""CEL205's fix and inherited retry options under a real Celery worker (memory:// broker).

- `self.retry(...)` as a bare statement and the fixed `raise self.retry(...)` behave the same:
  the task is retried (the retry raises `Retry` itself), and nothing after the call runs.
- A task whose `autoretry_for` comes only from its `base=` class (defined in another module),
  and a class-based task registered with `app.register_task` that inherits it, really retry —
  the options the index reports as inherited are the ones Celery applies.
"""

from __future__ import annotations

import importlib.util
import itertools
import sys
from pathlib import Path

import pytest

from celery_fix.engine.checker import EngineSettings, check_one
from celery_fix.index.build import build_index

RETRY_SOURCE = '''\
from celery import shared_task

ATTEMPTS = []


@shared_task(bind=True)
def flaky(self, key):
    ATTEMPTS.append(key)
    if len(ATTEMPTS) < 3:
        self.retry(countdown=0, max_retries=5)
        ATTEMPTS.append("after-retry")  # never runs: retry() raised
    return len(ATTEMPTS)
'''
BASE_SOURCE = '''\
from celery import Task


class RetryingTask(Task):
    autoretry_for = (ConnectionError,)
    default_retry_delay = 0
    max_retries = 4
'''
TASKS_SOURCE = '''\
from celery import current_app, shared_task

from {base} import RetryingTask

ATTEMPTS = []


@shared_task(base=RetryingTask)
def inherits(key):
    ATTEMPTS.append(("inherits", key))
    if sum(1 for a in ATTEMPTS if a[0] == "inherits") < 3:
        raise ConnectionError("transient")
    return "ok"


class Sync(RetryingTask):
    name = "{module}.Sync"

    def run(self, key):
        ATTEMPTS.append(("Sync", key))
        if sum(1 for a in ATTEMPTS if a[0] == "Sync") < 3:
            raise ConnectionError("transient")
        return "synced"


sync = current_app.register_task(Sync())
'''
_COUNTER = itertools.count()


def load(path: Path, name: str, worker, celery_app):
    celery_app.set_current()
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # the tasks module imports the base module by name
    spec.loader.exec_module(module)
    worker.consumer.update_strategies()
    return module


def fixed_retry_source(tmp_path: Path) -> tuple[str, list]:
    path = tmp_path / "retry_mod.py"
    path.write_text(RETRY_SOURCE, encoding="utf-8")
    settings = EngineSettings(codes=("CEL205",), rule_options={}, index=build_index([path], tmp_path), root=str(tmp_path))
    result = check_one(str(path), path.read_bytes(), settings)
    assert result.error is None and result.fixed is not None
    return result.fixed.decode(), result.findings


@pytest.mark.parametrize("version", ["before", "after"])
def test_retry_happens_with_and_without_raise(tmp_path, celery_app, worker, version):
    source = RETRY_SOURCE
    if version == "after":
        source, findings = fixed_retry_source(tmp_path)
        assert [f.fix for f in findings] == ["safe"]
        assert "        raise self.retry(countdown=0, max_retries=5)\n" in source
    name = f"cfx_retry_{version}_{next(_COUNTER)}"
    path = tmp_path / f"{name}.py"
    path.write_text(source, encoding="utf-8")
    module = load(path, name, worker, celery_app)
    result = module.flaky.delay("k")
    assert result.get(timeout=20, interval=0.01) == 3  # two retries, then success
    assert module.ATTEMPTS == ["k", "k", "k"]  # the line after retry() never ran


def test_inherited_autoretry_for_really_retries(tmp_path, celery_app, worker):
    n = next(_COUNTER)
    base_name, tasks_name = f"cfx_bases_{n}", f"cfx_inherit_{n}"
    base_path, tasks_path = tmp_path / f"{base_name}.py", tmp_path / f"{tasks_name}.py"
    base_path.write_text(BASE_SOURCE, encoding="utf-8")
    tasks_path.write_text(TASKS_SOURCE.format(base=base_name, module=tasks_name), encoding="utf-8")

    # what the index says: autoretry_for is inherited, from the class in the other module
    index = build_index([base_path, tasks_path], tmp_path)
    inherits = index.task_by_qualname(f"{tasks_name}.inherits")
    sync = index.task_by_qualname(f"{tasks_name}.Sync")
    for info in (inherits, sync):
        assert info.option_source("autoretry_for") == f"class {base_name}.RetryingTask"
        assert not info.options_unknown
    assert sync.kind == "class"

    load(base_path, base_name, worker, celery_app)
    module = load(tasks_path, tasks_name, worker, celery_app)
    assert module.inherits.autoretry_for == (ConnectionError,)  # what Celery applies
    assert module.inherits.delay("a").get(timeout=20, interval=0.01) == "ok"
    assert module.sync.delay("b").get(timeout=20, interval=0.01) == "synced"
    assert [a for a in module.ATTEMPTS if a[0] == "inherits"] == [("inherits", "a")] * 3
    assert [a for a in module.ATTEMPTS if a[0] == "Sync"] == [("Sync", "b")] * 3
