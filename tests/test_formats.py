"""Every --format on the example project: parsed and checked field by field."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from cli_run import run_in as run

SHOP = Path(__file__).resolve().parent.parent / "examples" / "shop"
HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def shop(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("formats") / "shop"
    shutil.copytree(SHOP, target)
    return target


@pytest.fixture(scope="module")
def concise(shop) -> list[str]:
    return run(shop, "--format", "concise", ".").stdout.splitlines()


def test_text_has_short_message_help_and_note(shop):
    out = run(shop, ".").stdout
    assert "orders/services.py:42:5: CEL701 [*] `refund_payment.delay(...)` inside `transaction.atomic()`\n" \
           "  help: send it from `transaction.on_commit()`\n" in out
    assert "  note: an unsafe fix is available with --unsafe-fixes: the block can raise" in out
    assert "\033[" not in out  # not a terminal: no colour


def test_text_show_source_and_color(shop):
    out = run(shop, "--show-source", "--color", "always", "orders/services.py").stdout
    assert "\033[1;31mCEL701\033[0m" in out
    assert re.search(r"42 \| .*refund_payment\.delay\(order\.pk\)", out)
    assert "\033[32m+" in out  # coloured diff
    assert "\033[" not in run(shop, "--color", "auto", "orders/services.py", env={"NO_COLOR": "1"}).stdout


def all_findings(shop) -> list[dict]:
    return json.loads(run(shop, "--format", "json", ".").stdout)["findings"]


def test_concise_one_line_per_finding(shop, concise):
    assert len(concise) == len(all_findings(shop)) > 40
    assert all(re.match(r"^[\w/.]+:\d+:\d+: CEL\d{3}( \[\*\])? \S", line) for line in concise)


def test_json_schema_field_by_field(shop, concise):
    data = json.loads(run(shop, "--format", "json", ".").stdout)
    assert data["version"] == 1 and data["mode"] == "check" and data["errors"] == []
    assert len(data["findings"]) == len(concise) == data["summary"]["findings"]
    f = next(f for f in data["findings"] if f["code"] == "CEL701" and f["location"]["line"] == 42)
    assert f["filename"] == "orders/services.py" and f["location"] == {"line": 42, "column": 5}
    assert f["name"] == "dispatch-in-atomic" and f["severity"] == "error" and f["url"] == "docs/rules.md#cel701"
    assert f["help"] == "send it from `transaction.on_commit()`"
    # the reported statement `refund_payment.delay(order.pk)`: its end column is exclusive
    assert f["end_location"] == {"line": 42, "column": 5 + len("refund_payment.delay(order.pk)")}
    assert f["full_message"] == f"{f['message']}; {f['help']}"
    assert f["fix"]["applicability"] == "safe" and f["fix"]["available"] is True and f["fix"]["title"]
    fixes = {x["filename"]: x for x in data["fixes"]}
    assert "orders/services.py" in fixes and fixes["orders/services.py"]["diff"].startswith("--- a/orders/services.py")
    edit = [e for e in fixes["orders/services.py"]["edits"] if e["start_line"] == 42]
    assert edit and "transaction.on_commit(partial(refund_payment.delay, order.pk))" in edit[0]["content"]
    unsafe = next(f for f in data["findings"] if f["code"] == "CEL701" and f["location"]["line"] == 57)
    assert unsafe["fix"]["applicability"] == "unsafe" and unsafe["fix"]["available"] is False
    assert unsafe["fix"]["note"] == unsafe["note"] and unsafe["note"].startswith("unsafe fix: ")
    assert unsafe["full_message"].endswith(unsafe["note"])
    for finding in data["findings"]:  # every range ends after it starts
        start, end = finding["location"], finding["end_location"]
        assert (end["line"], end["column"]) > (start["line"], start["column"]), finding


def test_json_on_apply_says_what_was_fixed(tmp_path):
    shutil.copytree(SHOP, tmp_path / "shop")
    data = json.loads(run(tmp_path / "shop", "--apply", "--format", "json", "orders/services.py").stdout)
    assert data["mode"] == "apply"
    assert {(f["code"], f["location"]["line"]) for f in data["fixed"]} >= {("CEL701", 42), ("CEL701", 48)}
    # the unsafe one is left, at its line in the fixed file (a wrapped fix above it takes two more lines)
    assert [f["location"]["line"] for f in data["findings"]] == [59]


def test_json_lines(shop, concise):
    lines = [json.loads(line) for line in run(shop, "--format", "json-lines", ".").stdout.splitlines()]
    assert len(lines) == len(concise) and all(line["type"] == "finding" and line["code"] for line in lines)


def test_sarif_validates_against_the_schema(shop):
    jsonschema = pytest.importorskip("jsonschema")
    data = json.loads(run(shop, "--format", "sarif", ".").stdout)
    jsonschema.validate(data, json.loads((HERE / "sarif_2_1_0_subset.schema.json").read_text()))
    full = os.environ.get("SARIF_SCHEMA")  # the OASIS schema, where a copy is at hand
    if full:
        jsonschema.validate(data, json.loads(Path(full).read_text()))
    run_ = data["runs"][0]
    rules = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    assert all(rules[r["ruleIndex"]] == r["ruleId"] for r in run_["results"])
    assert len(run_["results"]) == len(all_findings(shop))
    assert any("fixes" in r for r in run_["results"])
    by_place = {(f["filename"], f["location"]["line"], f["location"]["column"], f["code"]): f["end_location"]
                for f in all_findings(shop)}
    for result in run_["results"]:
        location = result["locations"][0]["physicalLocation"]
        region = location["region"]
        key = (location["artifactLocation"]["uri"], region["startLine"], region["startColumn"], result["ruleId"])
        assert (region["endLine"], region["endColumn"]) == (by_place[key]["line"], by_place[key]["column"])
    assert all(r["help"]["text"] for r in run_["tool"]["driver"]["rules"])


def test_github_workflow_commands(shop, concise):
    lines = run(shop, "--format", "github", ".").stdout.splitlines()
    pattern = re.compile(r"^::(error|warning) file=([^,]+),line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+),"
                         r"title=(CEL\d{3}) [\w-]+::(CEL\d{3}) .+$")
    parsed = [pattern.match(line) for line in lines]
    assert len(lines) == len(concise) and all(parsed)
    assert all(int(m[5]) >= int(m[3]) for m in parsed)
    assert {(m[2], int(m[3]), m[7]) for m in parsed} == {
        (line.split(":")[0], int(line.split(":")[1]), line.split()[1]) for line in concise
    }


def test_gitlab_code_quality(shop, concise):
    issues = json.loads(run(shop, "--format", "gitlab", ".").stdout)
    assert len(issues) == len(concise)
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert all(i["severity"] in ("major", "minor") and i["location"]["lines"]["begin"] >= 1 for i in issues)
    ends = sorted((f["filename"], f["location"]["line"], f["end_location"]["line"]) for f in all_findings(shop))
    assert sorted((i["location"]["path"], i["location"]["lines"]["begin"], i["location"]["lines"]["end"]) for i in issues) == ends


def test_junit_xml(shop, concise):
    root = ET.fromstring(run(shop, "--format", "junit", ".").stdout)
    failures = root.findall(".//testcase/failure")
    assert len(failures) == len(concise) and root.get("failures") == str(len(concise))
    assert {c.get("name") for c in root.iter("testcase")} >= {"orders/tasks.py", "orders/views.py"}


def test_review_has_every_area_and_the_scorecard(shop):
    out = run(shop, "--format", "review", ".").stdout
    for area in ("Idempotency", "Error handling and retries", "Task size", "Result backend", "Routing",
                 "Serialization", "Transactions", "Periodic tasks", "Observability"):
        assert f"## {area} — " in out
    assert "## Transactions — FAIL" in out and "## Idempotency — FAIL" in out
    only_routing = run(shop, "--format", "review", "--select", "CEL501", ".").stdout
    assert "## Idempotency — not checked" in only_routing
    assert "- **Tasks reviewed:** 21 in 13 files" in out
    assert "```diff" in out and "+    transaction.on_commit(partial(refund_payment.delay, order.pk))" in out
    # next to each finding only its own fix: the line-42 finding's diff does not hold the line-48 fix
    section = out.split("### FAIL CEL701 `orders/services.py:42`", 1)[1].split("\n### ", 1)[0]
    assert "+    transaction.on_commit(partial(refund_payment.delay, order.pk))" in section
    assert "record_shipment" not in section and section.count("@@ -") == 1
    # findings of no task (CEL501 at the app, CEL806 at a crontab) fail the project row
    project = next(line for line in out.splitlines() if line.startswith("| *project* |"))
    project_cells = [c.strip() for c in project.strip("|").split("|")]
    assert project_cells[5] == "FAIL" and project_cells[8] == "FAIL" and project_cells[7] == "PASS"
    row = next(line for line in out.splitlines() if line.startswith("| `orders.tasks.refund_payment`"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    # its planted problems: a broad autoretry_for, an unread result, a dispatch inside atomic()
    assert cells[2] == "FAIL" and cells[4] == "FAIL" and cells[5] == "PASS" and cells[7] == "FAIL"


def test_statistics(shop):
    out = run(shop, "--statistics", ".").stdout.splitlines()
    assert out[0].split() == ["17", "CEL401", "[*]", "unused-result"]
    assert sum(int(line.split()[0]) for line in out) == len(all_findings(shop))


def test_exit_non_zero_on_fix_and_show_fixes(tmp_path):
    shutil.copytree(SHOP, tmp_path / "shop")
    result = run(tmp_path / "shop", "--fix", "--select", "CEL202", "--show-fixes", "--exit-non-zero-on-fix", "orders/tasks.py")
    assert result.exit_code == 1
    assert "- orders/tasks.py:\n    2 × CEL202 (retry-without-backoff)" in result.stdout
    assert run(tmp_path / "shop", "--fix", "--select", "CEL202", "orders/tasks.py").exit_code == 0
