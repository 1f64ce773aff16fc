"""Integration tests with a real Django and a real Celery worker (no mocks). Shared fixtures.

What is set up
--------------
- Django is configured when this conftest is imported (collection time), from the settings
  module `cfx_settings.py` next to this file, with `settings.configure()` + `django.setup()`:
  no DJANGO_SETTINGS_MODULE environment variable is set, so the rest of the suite (and any Celery
  app created elsewhere) is not affected. Two file-based SQLite databases, "default" and
  "second", in a temporary directory (pytest-django creates the test databases once per session).
  Test apps live in packages next to this file (`cfx_app`: model `Order`, tasks, the modules the
  tests fix); add yours to INSTALLED_APPS in cfx_settings.py.
- `celery_app` (session): the app of `cfx_app/celery.py` (memory:// broker, cache+memory://
  results, json), set as current and default, with every module of `CELERY_IMPORTS` imported.
  Modules defining tasks must be listed there: the worker only knows tasks registered before it
  starts (a later one is "unregistered"; `worker.consumer.update_strategies()` would fix that).
- `worker` (session): a real WorkController in a thread (`celery.contrib.testing.worker.start_worker`,
  solo pool). It is started once: shutting it down costs ~2-4 s (the memory transport polls).
- `published`: the messages that really reached the broker during the test (caller thread):
  dicts with `task`, `args`, `kwargs`, `headers`. On teardown it waits until the worker has run
  every one of them (a task left over would run during the next test, where pytest-django blocks
  DB access), then purges the queue.
- `finished`: `finished(task_id)` -> a threading.Event set by the worker after the task (and its
  result) is done; works for ignore_result tasks, where `.get()` never returns.
- `run_at_publish`: makes the "before COMMIT" race deterministic: the caller blocks right after
  each publish until the worker has executed that task, and the task's results are collected in
  the returned list (for `.delay()` inside `atomic()` the worker thus runs before COMMIT; for
  `on_commit()` it runs after COMMIT).
- `fix_module(name, codes="CEL701", options=None, unsafe=False)`: runs celery-fix (the real CLI,
  `--apply`) on a copy of `cfx_app/<name>.py` in a temporary directory, with `options` written
  to that directory's pyproject.toml `[tool.celery-fix]`, and imports the fixed copy under a
  fresh module name. Returns `(module, fixed_source_text)`.

Rules for tests that use the worker and the DB: mark them `@pytest.mark.django_db(transaction=True)`
(plain `django_db` wraps the test in a transaction, so `on_commit` callbacks never run and the
worker's connection cannot see the test's rows), add `databases=["default", "second"]` to use the
second database, and request `worker` explicitly.
"""

from __future__ import annotations

import importlib.util
import itertools
import shutil
import sys
import threading
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


def _configure_django() -> None:
    import django
    from django.conf import settings

    if settings.configured:
        return
    import cfx_settings

    settings.configure(**{key: getattr(cfx_settings, key) for key in dir(cfx_settings) if key.isupper()})
    django.setup()


_configure_django()

from celery.contrib.testing.worker import start_worker  # noqa: E402
from celery.result import AsyncResult  # noqa: E402
from celery.signals import after_task_publish, task_postrun  # noqa: E402

_WORKER_UP = threading.Event()  # the session worker runs: it may consume any test's messages
_MODULE_COUNTER = itertools.count()


def pytest_unconfigure(config):
    import cfx_settings

    shutil.rmtree(cfx_settings.DB_DIR, ignore_errors=True)


@pytest.fixture(scope="session")
def celery_app():
    from cfx_app.celery import app

    app.set_current()
    app.set_default()
    app.loader.import_default_modules()  # CELERY_IMPORTS: every task module, before the worker starts
    return app


@pytest.fixture(scope="module")  # stopped after each module: later tests fork engine workers, and a fork
def worker(celery_app, django_db_setup):  # while the worker thread holds a lock can leave the child hung
    # perform_ping_check=True would need `celery.contrib.testing.tasks` imported
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as running:
        _WORKER_UP.set()
        yield running
    _WORKER_UP.clear()


@pytest.fixture
def finished():
    events: dict[str, threading.Event] = {}
    lock = threading.Lock()

    def event(task_id: str) -> threading.Event:
        with lock:
            return events.setdefault(task_id, threading.Event())

    def on_postrun(task_id=None, **kwargs):
        event(task_id).set()

    task_postrun.connect(on_postrun, weak=False)
    yield event
    task_postrun.disconnect(on_postrun)


@pytest.fixture
def published(celery_app, finished):
    # after_task_publish, not before_task_publish: the latter fires before serialization, i.e.
    # also for calls that then fail with EncodeError
    messages: list[dict] = []

    def on_publish(sender=None, body=None, headers=None, **kwargs):
        args, kw = (body[0], body[1]) if isinstance(body, (list, tuple)) else ((), {})
        messages.append({"task": sender, "args": list(args), "kwargs": dict(kw), "headers": headers})

    after_task_publish.connect(on_publish, weak=False)
    yield messages
    after_task_publish.disconnect(on_publish)
    if _WORKER_UP.is_set():
        for message in messages:
            finished(message["headers"]["id"]).wait(5)
    celery_app.control.purge()


@pytest.fixture
def run_at_publish(published):
    seen: list = []

    def on_published(sender=None, headers=None, **kwargs):
        try:  # Celery signals swallow (only log) receiver exceptions: record them
            seen.append(AsyncResult(headers["id"]).get(timeout=5, interval=0.01))
        except Exception as exc:  # noqa: BLE001
            seen.append(exc)

    after_task_publish.connect(on_published, weak=False)
    yield seen
    after_task_publish.disconnect(on_published)


@pytest.fixture
def fix_module(tmp_path):
    from click.testing import CliRunner

    from celery_fix.cli import main

    def run(name: str, codes: str = "CEL701", options: dict | None = None, unsafe: bool = False):
        directory = tmp_path / f"fix{next(_MODULE_COUNTER)}"
        directory.mkdir()
        lines = ["[tool.celery-fix]"] + [f"{key} = {_toml(value)}" for key, value in (options or {}).items()]
        (directory / "pyproject.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        target = directory / f"{name}.py"
        shutil.copyfile(HERE / "cfx_app" / f"{name}.py", target)
        args = ["--apply", "--no-cache", "--select", codes, "-q", str(target)]
        if unsafe:
            args.insert(1, "--unsafe-fixes")
        result = CliRunner().invoke(main, args, catch_exceptions=False)
        assert result.exit_code in (0, 1), result.output
        source = target.read_text(encoding="utf-8")
        module_name = f"cfx_fixed_{name}_{next(_MODULE_COUNTER)}"
        spec = importlib.util.spec_from_file_location(module_name, target)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module, source

    return run


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return str(value)
