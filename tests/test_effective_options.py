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


# -- the task-level rules read the effective options (base classes in another module) ---------------
RULE_FILES = {
    "proj/__init__.py": "",
    "proj/celery.py": """
        from celery import Celery
        app = Celery("proj")
        app.conf.result_backend = "redis://"
        app.conf.beat_schedule = {
            "sync-every-minute": {"task": "proj.tasks.limited", "schedule": 60.0},
        }
    """,
    "proj/bases.py": """
        from celery import Task

        class RetryingTask(Task):
            autoretry_for = (ConnectionError,)

        class BackoffTask(RetryingTask):
            retry_backoff = True
            ignore_result = True

        class SlowTask(Task):
            time_limit = 300
    """,
    "proj/tasks.py": """
        from proj.bases import BackoffTask, RetryingTask, SlowTask
        from proj.celery import app

        @app.task(base=RetryingTask)
        def sync(sku):
            pass

        @app.task(base=BackoffTask)
        def sync_with_backoff(sku):
            pass

        @app.task(base=SlowTask, name="proj.tasks.limited")
        def limited():
            pass
    """,
}


def run_rule(tmp_path: Path, code: str, unsafe: bool = False):
    from celery_fix.engine.checker import EngineSettings, check_one

    index = project(tmp_path, RULE_FILES)
    settings = EngineSettings(codes=(code,), rule_options={}, unsafe_fixes=unsafe, index=index, root=str(tmp_path))
    findings, fixed = [], {}
    for path in sorted(tmp_path.rglob("*.py")):
        result = check_one(str(path), path.read_bytes(), settings)
        assert result.error is None
        findings += [(path.relative_to(tmp_path).as_posix(), f) for f in result.findings]
        if result.fixed is not None:
            fixed[path.relative_to(tmp_path).as_posix()] = result.fixed.decode()
    return findings, fixed


def test_cel202_inherited_autoretry_needs_backoff_and_inherited_backoff_is_enough(tmp_path):
    findings, fixed = run_rule(tmp_path, "CEL202")
    reported = sorted((path, f.line) for path, f in findings)
    # the RetryingTask class itself (no retry_backoff), and `sync` that inherits it
    assert reported == [("proj/bases.py", 5), ("proj/tasks.py", 5)]
    assert "from `RetryingTask`" in next(f.message for p, f in findings if p == "proj/tasks.py")
    assert (
        "@app.task(\n    base=RetryingTask, retry_backoff=True, retry_backoff_max=600, retry_jitter=True\n)\n"
    ) in fixed["proj/tasks.py"]
    assert "def sync_with_backoff" in fixed["proj/tasks.py"] and "@app.task(base=BackoffTask)\n" in fixed["proj/tasks.py"]


def test_cel401_reads_ignore_result_from_the_base_chain(tmp_path):
    findings, _ = run_rule(tmp_path, "CEL401")
    names = {f.message.split("`")[1] for _, f in findings}
    assert "sync_with_backoff" not in names  # ignore_result=True two classes up
    assert "sync" in names


def test_cel504_names_tasks_with_a_project_base(tmp_path):
    findings, fixed = run_rule(tmp_path, "CEL504")
    assert sorted(f.line for _, f in findings) == [5, 9]  # `limited` has its name
    assert '@app.task(base=RetryingTask, name="proj.tasks.sync")' in fixed["proj/tasks.py"]


def test_cel803_reads_time_limit_from_a_base_in_another_module(tmp_path):
    findings, _ = run_rule(tmp_path, "CEL803")
    assert len(findings) == 1 and findings[0][0] == "proj/celery.py"
    assert "5 min" in findings[0][1].message or "300" in findings[0][1].message
