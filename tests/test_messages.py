"""Every rule's messages: a short clause of what is wrong, a help of its own, names in backticks.

Checked over the findings the rules really produce: each rule's INVALID examples, every snapshot
case and the example project (whose names are realistic), so a case-built message is covered too.
"""

from __future__ import annotations

import json
import os
import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from snapshot_harness import all_cases, run, settings_for

from celery_fix.cli import main
from celery_fix.engine.checker import check_one
from celery_fix.engine.model import Finding
from celery_fix.engine.registry import all_rule_classes

SHOP = Path(__file__).resolve().parent.parent / "examples" / "shop"
SHORT = 120
# a name quoted the other way: 'name' (an apostrophe inside a word, as in "task's", is not one)
_SINGLE_QUOTED = re.compile(r"(?<![\w`])'[\w.:/*-]+'(?![\w`])")


def _shop_findings() -> list[Finding]:
    old = os.getcwd()
    os.chdir(SHOP)
    try:
        out = CliRunner(mix_stderr=False).invoke(main, ["--no-cache", "--format", "json", "."]).stdout
    finally:
        os.chdir(old)
    return [Finding(f["filename"], f["location"]["line"], f["location"]["column"], f["code"], f["name"],
                    f["message"], f["severity"], None, f["help"], f["fix"] and f["fix"]["note"])
            for f in json.loads(out)["findings"]]


@pytest.fixture(scope="module")
def findings() -> list[Finding]:
    found = []
    for rule_cls in all_rule_classes():
        for i, case in enumerate(rule_cls.INVALID):
            source = textwrap.dedent(case.code).encode()
            found += check_one(f"invalid_{rule_cls.CODE}_{i}.py", source, settings_for(rule_cls.CODE)).findings
    for case in all_cases():
        found += run(case).findings
    return found + _shop_findings()


def test_every_rule_is_seen(findings):
    assert {f.code for f in findings} == {r.CODE for r in all_rule_classes()}


def test_every_rule_has_a_short_message_and_a_help_of_its_own():
    for rule_cls in all_rule_classes():
        assert rule_cls.MESSAGE and rule_cls.HELP, rule_cls.CODE
        assert "; " not in rule_cls.MESSAGE and not rule_cls.MESSAGE.endswith("."), rule_cls.CODE
        assert rule_cls.HELP not in rule_cls.MESSAGE, rule_cls.CODE


def test_messages_are_one_short_clause_with_a_help(findings):
    too_long = [f"{f.code} ({len(f.message)}): {f.message}" for f in findings if len(f.message) > SHORT]
    assert not too_long
    for f in findings:
        assert "; " not in f.message and not f.message.endswith("."), f.message
        assert f.help and not f.help.endswith("."), f.message
        assert f.help not in f.message, f.message


def test_names_are_quoted_one_way(findings):
    for f in findings:
        for text in (f.message, f.help, f.note):
            assert not _SINGLE_QUOTED.search(text or ""), text
            assert (text or "").count("`") % 2 == 0, text


def test_full_message_joins_message_help_and_note():
    f = Finding("a.py", 1, 1, "CEL701", "dispatch-in-atomic", "what", "error", "unsafe", "how", "unsafe fix: why")
    assert f.full_message == "what; how; unsafe fix: why"
    assert Finding("a.py", 1, 1, "CEL403", "n", "what", "warning", None).full_message == "what"


def test_findings_end_where_the_reported_node_ends():
    rule_cls = next(r for r in all_rule_classes() if r.CODE == "CEL701")
    source = (
        b"from django.db import transaction\n\nfrom shop.tasks import send_receipt\n\n\n"
        b"def place(order):\n    with transaction.atomic():\n        send_receipt.delay(\n            order.pk,\n        )\n"
    )
    (finding,) = check_one("orders.py", source, settings_for(rule_cls.CODE)).findings
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (8, 9, 10, 10)


def test_task_findings_point_at_the_decorator(findings):
    """One column convention: a finding about a task (one that starts at its decorator, not at
    one of the decorator's arguments) starts at the `@`; CEL202 reports the decorator's call,
    which its fix replaces, and points at the `@` all the same."""
    checked = set()
    for f in findings:
        path = Path(f.path) if os.path.isabs(f.path) else SHOP / f.path
        if not path.is_file() or path.suffix != ".py":
            continue
        line = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()[f.line - 1]
        at = len(line) - len(line.lstrip()) + 1
        if line.lstrip().startswith("@") and f.column in (at, at + 1):
            assert f.column == at, (f.code, f.path, f.line, f.column)
            checked.add(f.code)
    assert {"CEL202", "CEL401", "CEL903", "CEL504"} <= checked
