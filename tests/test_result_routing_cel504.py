"""CEL504: the names the fix pins are the names real Celery gives the tasks (`app.tasks`), for
the fixture project tests/fixtures/task_names/ (imported in a subprocess, never in this one)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from celery_fix.engine.checker import EngineSettings, check_one
from celery_fix.index.build import build_index

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "task_names"
MODULES = ["proj.orders.tasks", "proj.billing.jobs.tasks"]
LIST_TASKS = """
import importlib, json, sys
sys.path.insert(0, sys.argv[1])
from proj.celery import app
for name in sys.argv[2:]:
    importlib.import_module(name)
print(json.dumps(sorted(n for n in app.tasks if not n.startswith("celery."))))
"""


def celery_task_names(root: Path) -> list[str]:
    completed = subprocess.run(
        [sys.executable, "-c", LIST_TASKS, str(root), *MODULES], capture_output=True, text=True, timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def fix_project(root: Path) -> list:
    files = sorted(root.rglob("*.py"))
    index = build_index(files, root)
    settings = EngineSettings(codes=("CEL504",), rule_options={}, index=index, root=str(root))
    findings = []
    for path in files:
        result = check_one(str(path), path.read_bytes(), settings)
        assert result.error is None
        findings += result.findings
        if result.fixed is not None:
            path.write_bytes(result.fixed)
    return findings


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "src"
    shutil.copytree(FIXTURE, root)
    return root


def test_pinned_names_are_the_names_celery_computes(project):
    before = celery_task_names(project)
    index = build_index(sorted(project.rglob("*.py")), project)
    assert sorted(t.name for t in index.tasks) == before  # the index agrees with Celery
    findings = fix_project(project)
    assert len(findings) == 6 and all(f.fix == "safe" for f in findings)
    assert celery_task_names(project) == before  # nothing changed at run time
    text = (project / "proj/orders/tasks.py").read_text()
    assert '@shared_task(name="proj.orders.tasks.send_receipt")' in text
    assert '@app.task(bind=True, max_retries=3, name="proj.orders.tasks.sync_stock")' in text
    assert '    acks_late=True,\n    name="proj.orders.tasks.exploded",\n)' in text
    assert '@task(name="proj.orders.tasks.aliased")' in text
    assert '@shared_task(name="proj.orders.tasks.nightly")' in text
    assert '@shared_task(name="proj.billing.jobs.tasks.invoice")' in (project / "proj/billing/jobs/tasks.py").read_text()
    # every name is pinned now: a second run finds nothing
    assert fix_project(project) == []
    # the refactor the pin protects against: the module moves, the names stay
    (project / "proj/orders/tasks.py").rename(project / "proj/orders/jobs.py")
    completed = subprocess.run(
        [sys.executable, "-c", LIST_TASKS, str(project), "proj.orders.jobs", "proj.billing.jobs.tasks"],
        capture_output=True, text=True, timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout) == before


def test_off_by_default():
    from celery_fix.rules.implicit_task_name import ImplicitTaskNameRule

    assert ImplicitTaskNameRule.ENABLED_BY_DEFAULT is False
