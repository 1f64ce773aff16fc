"""CEL803 / CEL804 / CEL805 with a real ProjectIndex over a small multi-file project (their
single-file snapshots cover the forms; here the schedule, the tasks, their base class and the
global settings live in different modules, as in a Django project)."""

from pathlib import Path

import pytest

from celery_fix.engine.checker import EngineSettings, check_one
from celery_fix.index.build import build_index

FILES = {
    "shop/__init__.py": "",
    "shop/settings.py": """
from datetime import timedelta

from celery.schedules import crontab

INSTALLED_APPS = ["django.contrib.auth", "shop", "shop.stock"]
CELERY_TASK_SOFT_TIME_LIMIT = 20 * 60

CELERY_BEAT_SCHEDULE = {
    "sync-stock": {"task": "shop.stock.tasks.sync_stock", "schedule": timedelta(minutes=5)},
    "sync-stock-short": {
        "task": "shop.stock.tasks.sync_stock",
        "schedule": timedelta(minutes=5),
        "options": {"time_limit": 60},
    },
    "reindex": {"task": "shop.stock.tasks.reindex", "schedule": crontab(minute="*/15")},
    "reindex-daily": {"task": "shop.stock.tasks.reindex", "schedule": crontab(hour=3, minute=0)},
    "digest": {"task": "send-digest", "schedule": timedelta(minutes=5)},
    "based": {"task": "shop.stock.tasks.based", "schedule": timedelta(minutes=5)},
    "locked": {"task": "shop.stock.tasks.locked", "schedule": timedelta(minutes=1)},
    "renamed": {"task": "shop.tasks.sync_stock", "schedule": timedelta(hours=1)},
    "typo": {"task": "shop.stock.tasks.reindx", "schedule": timedelta(hours=1)},
    "cleanup": {"task": "celery.backend_cleanup", "schedule": crontab(hour=4, minute=0)},
    "library": {"task": "post_office.tasks.send_queued_mail", "schedule": 600},
}
""",
    "shop/celery.py": """
from celery import Celery

app = Celery("shop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
""",
    "shop/base.py": """
from celery import Task


class LongTask(Task):
    time_limit = 60 * 60
""",
    "shop/stock/__init__.py": "",
    "shop/stock/tasks.py": """
from celery import shared_task
from celery_once import QueueOnce

from shop.base import LongTask


@shared_task
def sync_stock():
    pass


@shared_task(time_limit=10 * 60)
def reindex():
    '''Rebuild the search index (every 15 min, ~2 min a run; a skipped run is harmless).'''


@shared_task(name="send-digest", time_limit=5 * 60)
def send_digest():
    pass


@shared_task(base=LongTask)
def based():
    pass


@shared_task(base=QueueOnce, time_limit=60 * 60)
def locked():
    pass


@shared_task
def not_scheduled():
    pass
""",
}


@pytest.fixture
def project(tmp_path: Path):
    for name, text in FILES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.lstrip("\n"), encoding="utf-8")
    return tmp_path, build_index(sorted(tmp_path.rglob("*.py")), tmp_path)


def run(path: Path, code: str, index):
    settings = EngineSettings(codes=(code,), rule_options={}, unsafe_fixes=True, index=index, root=str(path.parent))
    return check_one(str(path), path.read_bytes(), settings)


def entry_names(result):
    return [f.message.split("`")[1] for f in result.findings]


def test_cel803_reads_limits_from_task_base_class_and_settings(project):
    root, index = project
    result = run(root / "shop/settings.py", "CEL803", index)
    assert result.error is None
    assert entry_names(result) == ["sync-stock", "digest", "based"]
    by_entry = {f.message.split("`")[1]: f.full_message for f in result.findings}
    assert "may run for 20 min;" in by_entry["sync-stock"]
    assert "(the global `task_soft_time_limit` setting, a ceiling for every task without its own)" in by_entry["sync-stock"]
    assert "runs every 5 min" in by_entry["digest"] and "may run for 5 min;" in by_entry["digest"]
    assert "keep the limit (`time_limit` in the task decorator)" in by_entry["digest"]
    assert "may run for 1 h;" in by_entry["based"] and "(`time_limit` in its decorator or base class)" in by_entry["based"]
    assert "lock" in by_entry["sync-stock"]
    assert all(f.fix is None for f in result.findings)


def test_cel803_without_the_index_knows_nothing_of_other_modules(project):
    root, _ = project
    assert run(root / "shop/settings.py", "CEL803", None).findings == []


def test_cel804_reports_misspelt_task_names(project):
    root, index = project
    result = run(root / "shop/settings.py", "CEL804", index)
    assert entry_names(result) == ["typo"]
    assert "`shop.stock.tasks.reindx`" in result.findings[0].message
    assert result.findings[0].help == "did you mean `shop.stock.tasks.reindex`?"
    assert [f.line for f in result.findings] == [21]


def test_cel804_reports_a_renamed_module_only_when_the_index_covers_the_project(project):
    # `shop.tasks` is not a module the index saw: renamed, or just not among the paths checked.
    # `complete` is the flag requested from the ProjectIndex (built from the project root).
    root, index = project
    index.complete = True
    result = run(root / "shop/settings.py", "CEL804", index)
    assert entry_names(result) == ["renamed", "typo"]
    renamed = result.findings[0]
    assert "`shop.tasks.sync_stock`" in renamed.message
    assert "a task `sync_stock` is named `shop.stock.tasks.sync_stock`" in renamed.help
    assert [f.line for f in result.findings] == [20, 21]


def test_cel804_partial_run_sees_only_what_it_indexed(project):
    # `celery-fix shop/settings.py shop/base.py`: the index has no task at all
    root, _ = project
    index = build_index([root / "shop/settings.py", root / "shop/base.py", root / "shop/stock/tasks.py"], root)
    assert entry_names(run(root / "shop/settings.py", "CEL804", index)) == ["typo"]


def test_cel804_is_quiet_without_the_index_or_without_tasks(project):
    root, _ = project
    assert run(root / "shop/settings.py", "CEL804", None).findings == []
    settings_only = build_index([root / "shop/settings.py", root / "shop/celery.py"], root)
    assert settings_only.tasks == []
    assert run(root / "shop/settings.py", "CEL804", settings_only).findings == []


def test_cel804_is_quiet_while_a_task_name_is_unreadable(project, tmp_path):
    root, _ = project
    (root / "shop/stock/dynamic.py").write_text(
        "from celery import shared_task\n\nNAME = get_name()\n\n\n@shared_task(name=NAME)\ndef dynamic():\n    pass\n"
    )
    index = build_index(sorted(root.rglob("*.py")), root)
    assert any(t.name is None for t in index.tasks)
    assert run(root / "shop/settings.py", "CEL804", index).findings == []


def test_cel805_reports_scheduled_tasks_without_docstring_at_their_decorator(project):
    root, index = project
    result = run(root / "shop/stock/tasks.py", "CEL805", index)
    assert result.error is None
    # sync_stock (2 entries), send_digest, based, locked; reindex is documented, not_scheduled is not run by beat
    assert [f.line for f in result.findings] == [7, 17, 22, 27]
    first = result.findings[0]
    assert "`sync_stock`" in first.message and "`sync-stock`, `sync-stock-short`" in first.help


def test_cel805_without_the_index_does_not_see_schedules_elsewhere(project):
    root, _ = project
    assert run(root / "shop/stock/tasks.py", "CEL805", None).findings == []
