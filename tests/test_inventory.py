"""`celery-fix --list-tasks`: the task inventory, as a table and as JSON."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from celery_fix.config import Config
from celery_fix.discover import discover
from celery_fix.inventory import print_inventory

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "shop"


def inventory(root: Path, output_format: str = "text"):
    files = discover([root], Config(root=root)).files
    runner = CliRunner(mix_stderr=False)
    box = {}

    def invoke():
        box["code"] = print_inventory(files, Config(root=root), output_format)

    import click

    result = runner.invoke(click.command()(invoke), [], catch_exceptions=False)
    return box["code"], result.stdout, result.stderr


def test_table_lists_every_task_with_its_policy():
    code, out, err = inventory(EXAMPLE)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["task", "location", "queue", "retry", "ignore_result", "time", "limits", "inherited", "beat", "dispatches"]
    rows = {line.split()[0]: line for line in lines[1:22]}
    assert len(rows) == 21
    charge = rows["orders.charge_customer"]
    assert "orders/tasks.py:77" in charge and "max=5" in charge and "soft 45 / hard 60" in charge and " yes " in charge
    supplier = rows["orders.tasks.sync_supplier_catalogue"]
    assert "bulk (route orders.tasks.sync_supplier_catalogue)" in supplier and "sync-supplier-catalogue" in supplier
    assert "auto(Exception) backoff" in rows["orders.tasks.refund_payment"]
    assert rows["orders.tasks.create_shipping_label"].rstrip().endswith(" 2")  # two dispatch sites
    assert "21 tasks; 13 files, 9 parsed for the index (4 skipped by the prefilter)" in out


def test_json_output():
    code, out, _ = inventory(FIXTURES / "django_proj", "json")
    assert code == 0
    data = json.loads(out)
    tasks = {t["name"]: t for t in data["tasks"]}
    charge = tasks["billing.charge"]
    assert charge["path"] == "billing/tasks.py" and charge["line"] == 21
    assert (charge["queue"], charge["route"]) == ("payments", "billing.charge")
    assert charge["retry"] == "auto(ConnectionError) max=5 backoff"
    assert charge["time_limit"] == {"global": 300} and charge["ignore_result"] == "<unknown>"
    assert charge["result_consumed"] is True and charge["dispatch_sites"] == 4
    assert tasks["billing.tasks.notify"]["queue"] == "billing"  # the glob route billing.tasks.*
    assert tasks["billing.tasks.cleanup"]["beat_entries"] == ["nightly-cleanup"]
    assert tasks["billing.tasks.rebuild_report"]["queue"] == "slow"  # queue= wins over routes
    assert data["stats"]["files"] == 10 and data["errors"] == []


def test_unparsable_file_exits_2_with_one_line(tmp_path):
    (tmp_path / "broken.py").write_text("from celery import shared_task\ndef (:\n")
    (tmp_path / "good.py").write_text("from celery import shared_task\n\n@shared_task\ndef ok():\n    pass\n")
    code, out, err = inventory(tmp_path)
    assert code == 2
    assert "good.ok" in out
    assert err.count("\n") == 1 and err.startswith("celery-fix: error: ") and "broken.py" in err
    assert "Traceback" not in err


def test_cli_list_tasks(tmp_path):
    from celery_fix.cli import main

    result = CliRunner(mix_stderr=False).invoke(main, ["--list-tasks", str(FIXTURES / "src_proj"), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert {t["name"] for t in json.loads(result.stdout)["tasks"]} == {"acme.jobs.tasks.ping", "acme.custom"}
