"""The index's effective task options: decorator over `base=` class attributes over their bases,
across modules, with where each option comes from; class-based tasks; unreadable bases."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from click.testing import CliRunner

from celery_fix.config import Config
from celery_fix.discover import discover
from celery_fix.index.build import build_index
from celery_fix.index.values import Ref


def project(tmp_path: Path, files: dict[str, str]):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return build_index(discover([tmp_path], Config(root=tmp_path)).files, tmp_path)


FILES = {
    "shop/__init__.py": "",
    "shop/celery.py": """
        from celery import Celery
        app = Celery("shop")
    """,
    "shop/bases.py": """
        import celery
        from vendor.tasks import VendorTask

        class RetryingTask(celery.Task):
            autoretry_for = (ConnectionError,)
            acks_late = True
            max_retries = 5

        class SlowRetryingTask(RetryingTask):
            time_limit = 600
            max_retries = 2

        class Opaque(VendorTask):
            acks_late = True
    """,
    "shop/tasks.py": """
        from celery import Task, shared_task
        from shop.bases import SlowRetryingTask as Slow, Opaque
        from shop.celery import app

        @app.task(base=Slow, max_retries=9)
        def sync(sku): ...

        @shared_task(base=Opaque)
        def opaque(): ...

        class Report(Slow):
            ignore_result = True
            def run(self, day): ...

        class Abstract(Task):
            abstract = True
            def run(self): ...

        class NotATask:
            def run(self): ...
    """,
}


def test_chain_of_bases_in_another_module_with_decorator_override(tmp_path):
    index = project(tmp_path, FILES)
    sync = index.task_by_qualname("shop.tasks.sync")
    assert sync.base == "shop.bases.SlowRetryingTask" and not sync.options_unknown
    assert sync.options["autoretry_for"] == (Ref("ConnectionError"),)
    assert sync.options["max_retries"] == 9 and sync.options["time_limit"] == 600 and sync.options["acks_late"] is True
    assert sync.option_source("max_retries") == "decorator"  # the decorator wins over both classes
    assert sync.option_source("time_limit") == "class shop.bases.SlowRetryingTask"
    assert sync.option_source("autoretry_for") == "class shop.bases.RetryingTask"  # two bases up
    assert sync.inherited("acks_late") and not sync.inherited("max_retries")


def test_unreadable_base_makes_options_unknown(tmp_path):
    index = project(tmp_path, FILES)
    opaque = index.task_by_qualname("shop.tasks.opaque")
    assert opaque.options_unknown and opaque.unknown_bases == ("vendor.tasks.VendorTask",)
    assert opaque.options["acks_late"] is True  # what the readable class sets is still known
    assert not opaque.option_known("autoretry_for") and opaque.option_known("acks_late")


def test_task_subclass_with_run_is_a_class_task(tmp_path):
    index = project(tmp_path, FILES)
    report = index.task_by_qualname("shop.tasks.Report")
    assert report is not None and report.kind == "class" and report.name == "shop.tasks.Report"
    assert report.options["autoretry_for"] == (Ref("ConnectionError"),) and report.options["ignore_result"] is True
    assert report.option_source("ignore_result") == "class shop.tasks.Report"
    assert report.option_source("max_retries") == "class shop.bases.SlowRetryingTask"
    # abstract classes, and classes that are not celery Tasks, are no tasks
    assert index.task_by_qualname("shop.tasks.Abstract") is None
    assert index.task_by_qualname("shop.tasks.NotATask") is None


def test_list_tasks_shows_inherited_options_and_their_source(tmp_path):
    from celery_fix.cli import main

    project(tmp_path, FILES)
    runner = CliRunner(mix_stderr=False)
    result = runner.invoke(main, ["--list-tasks", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    rows = {row["qualname"]: row for row in json.loads(result.stdout)["tasks"]}
    assert rows["shop.tasks.sync"]["option_sources"]["autoretry_for"] == "class shop.bases.RetryingTask"
    assert rows["shop.tasks.opaque"]["unknown_bases"] == ["vendor.tasks.VendorTask"]
    text = runner.invoke(main, ["--list-tasks", str(tmp_path)]).stdout
    line = next(line for line in text.splitlines() if line.startswith("shop.tasks.sync "))
    assert "acks_late, autoretry_for (RetryingTask)" in line and "time_limit (SlowRetryingTask)" in line
    opaque = next(line for line in text.splitlines() if line.startswith("shop.tasks.opaque "))
    assert "? (VendorTask)" in opaque
