"""The celery-fix command end to end: exit codes, output, --apply, selection, errors."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from celery_fix.cli import main

RETRYING = textwrap.dedent(
    """\
    from celery import shared_task


    @shared_task(autoretry_for=(IOError,), ignore_result=True)
    def sync(order_id):
        pass
    """
)
CLEAN = "from celery import shared_task\n\n\n@shared_task(ignore_result=True)\ndef ok():\n    pass\n"


def run(*args: str, cwd: Path | None = None):
    runner = CliRunner()
    old = os.getcwd()
    if cwd:
        os.chdir(cwd)
    try:
        return runner.invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    # CEL202 only, so that rules added later do not change these expectations
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n\n[tool.celery-fix]\nselect = [\"CEL202\"]\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "tasks.py").write_text(RETRYING)
    (tmp_path / "app" / "clean.py").write_text(CLEAN)
    return tmp_path


def test_dry_run_reports_diffs_and_exits_1_without_writing(project):
    before = (project / "app" / "tasks.py").read_bytes()
    result = run(str(project))
    assert result.exit_code == 1
    assert f"{project}/app/tasks.py:4:1: CEL202 [*] task retries" in result.output  # at the decorator's @
    # the fixed decorator is over 88 characters: wrapped as black wraps it
    assert (
        "+@shared_task(\n+    autoretry_for=(IOError,),\n+    ignore_result=True,\n+    retry_backoff=True,\n"
        "+    retry_backoff_max=600,\n+    retry_jitter=True,\n+)\n"
    ) in result.output
    assert "3 files checked, 1 finding, 1 fixable" in result.output
    assert (project / "app" / "tasks.py").read_bytes() == before


def test_clean_tree_exits_0(project):
    (project / "app" / "tasks.py").write_text(CLEAN)
    result = run(str(project))
    assert result.exit_code == 0, result.output
    assert "0 findings" in result.output


def test_apply_writes_then_converges(project):
    target = project / "app" / "tasks.py"
    clean_mtime = (project / "app" / "clean.py").stat().st_mtime_ns
    first = run("--apply", str(project))
    assert first.exit_code == 0, first.output
    assert "1 fix applied in 1 file, 0 findings remaining" in first.output
    assert "    retry_backoff=True,\n    retry_backoff_max=600,\n    retry_jitter=True,\n)\n" in target.read_text()
    assert (project / "app" / "clean.py").stat().st_mtime_ns == clean_mtime
    written = target.read_bytes()
    second = run("--apply", str(project))
    assert second.exit_code == 0
    assert target.read_bytes() == written
    assert run(str(project)).exit_code == 0


def test_apply_exits_1_when_unfixable_findings_remain(project):
    (project / "app" / "tasks.py").write_text(RETRYING.replace("(IOError,)", "(IOError,), retry_backoff=False"))
    result = run("--apply", str(project))
    assert result.exit_code == 1
    assert "1 finding remaining" in result.output


def test_exit_zero(project):
    assert run("--exit-zero", str(project)).exit_code == 0


def test_select_and_ignore(project):
    assert run("--ignore", "CEL202", str(project)).exit_code == 0
    assert run("--select", "CEL2", str(project)).exit_code == 1
    everything_but_cel202 = run("--select", "ALL", "--ignore", "CEL2", "--no-diff", str(project))
    codes = {line.split()[1] for line in everything_but_cel202.output.splitlines() if ": CEL" in line}
    assert codes and not any(code.startswith("CEL2") for code in codes)


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_unknown_code_is_a_usage_error(project, option):
    result = run(option, "CEL999", str(project))
    assert result.exit_code == 2
    assert result.output.strip() == "celery-fix: error: unknown rule code or prefix: CEL999"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--select", "CELL701"], "unknown rule code or prefix: CELL701 (did you mean CEL701?)"),
        (["--ignore", "retry-without-backof"], "(did you mean retry-without-backoff?)"),
        (["--explain", "CEL7011"], "unknown rule code: CEL7011 (did you mean CEL701?)"),
    ],
)
def test_a_mistyped_code_suggests_the_close_one(project, args, expected):
    result = run(*args, str(project)) if args[0] != "--explain" else run(*args)
    assert result.exit_code == 2
    assert expected in result.output and "Traceback" not in result.output


def test_noqa_on_the_reported_line(project):
    source = RETRYING.replace("ignore_result=True)", "ignore_result=True)  # noqa: CEL202")
    (project / "app" / "tasks.py").write_text(source)
    assert run(str(project)).exit_code == 0


def test_syntax_error_is_one_line_and_others_still_checked(project):
    (project / "app" / "broken.py").write_text("from celery import shared_task\n@shared_task(autoretry_for=(\n")
    result = run("--no-diff", str(project))
    assert result.exit_code == 2
    assert "app/tasks.py:4:1: CEL202" in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("celery-fix: error:")]
    assert len(errors) == 1 and "broken.py" in errors[0] and "syntax error" in errors[0]
    assert "Traceback" not in result.output


def test_undecodable_file(project):
    (project / "app" / "binary.py").write_bytes(b"autoretry_for = '\xff\xfe'\n")
    result = run(str(project))
    assert result.exit_code == 2
    assert "binary.py" in result.output and "Traceback" not in result.output


def test_missing_path(project):
    result = run(str(project / "nope"))
    assert result.exit_code == 2
    assert "no such file or directory" in result.output


def test_default_path_is_cwd(project):
    assert run(cwd=project).exit_code == 1


def test_skips_migrations_and_virtualenvs(project):
    (project / "app" / "migrations").mkdir()
    (project / "app" / "migrations" / "0001_initial.py").write_text(RETRYING)
    (project / "venv").mkdir()
    (project / "venv" / "pyvenv.cfg").write_text("")
    (project / "venv" / "lib.py").write_text(RETRYING)
    result = run("--no-diff", str(project))
    assert "0001_initial.py" not in result.output and "lib.py" not in result.output
    assert "3 files checked, 1 finding" in result.output


def test_list_rules_and_explain():
    listing = run("--list-rules")
    assert listing.exit_code == 0
    assert re.search(r"CEL202  retry-without-backoff +safe", listing.output)  # column width follows the longest name
    doc = run("--explain", "CEL202")
    assert doc.exit_code == 0
    sections = ["## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety"]
    positions = [doc.output.index(s) for s in sections]
    assert positions == sorted(positions)
    assert run("--explain", "CEL999").exit_code == 2


def test_explain_gives_the_message_help_and_options():
    from celery_fix.engine.registry import rule_by_code

    rule = rule_by_code("CEL701")
    doc = run("--explain", "CEL701").output
    assert f"Help: {rule.HELP}" in doc
    assert "Options:" in doc and all(f"`{option}`" in doc for option in rule.OPTIONS)


def test_json_format(project):
    import json

    result = run("--format", "json", str(project))
    data = json.loads(result.output)
    assert [f["code"] for f in data["findings"]] == ["CEL202"]
    assert data["version"] == 1
    assert data["findings"][0]["fix"]["applicability"] == "safe"


def test_python_dash_m_and_console_script(project):
    module = subprocess.run([sys.executable, "-m", "celery_fix", "--no-diff", str(project)], capture_output=True, text=True)
    assert module.returncode == 1 and "CEL202" in module.stdout


def test_parallel_and_serial_runs_agree(tmp_path):
    for i in range(12):
        (tmp_path / f"tasks_{i}.py").write_text(RETRYING if i % 3 else CLEAN)
    serial = run("--jobs", "1", str(tmp_path))
    parallel = run("--jobs", "2", str(tmp_path))
    assert serial.exit_code == parallel.exit_code == 1
    assert serial.output == parallel.output


def test_file_python_rejects_is_one_warning_line_in_index_and_inventory(project):
    # libcst parses it, Python's own parser does not: no cross-file facts from it, one warning line
    (project / "app" / "settings.py").write_text('CELERY_BROKER_URL = "\\N{NO SUCH NAME}"\n')
    for args in ([str(project)], ["--list-tasks", str(project)]):
        result = run(*args)
        assert "Traceback" not in result.output
        lines = [line for line in result.output.splitlines() if "settings.py" in line]
        assert len(lines) == 1 and "not indexed, Python" in lines[0]
    # the check goes on (a warning); the inventory is incomplete (an error)
    assert run(str(project)).output.count("celery-fix: warning: ") == 1
    assert run("--list-tasks", str(project)).exit_code == 2


def _apply_unified(old: list[str], diff: str) -> list[str]:
    """Apply a unified diff (as `patch` would), strictly: every context and removed line must match."""
    import re

    result, position = [], 0
    lines = diff.splitlines(keepends=True)[2:]
    index = 0
    while index < len(lines):
        start = int(re.match(r"@@ -(\d+)", lines[index])[1])
        index += 1
        hunk_start = start - 1 if start else 0
        result += old[position:hunk_start]
        position = hunk_start
        while index < len(lines) and not lines[index].startswith("@@"):
            kind, text = lines[index][0], lines[index][1:]
            if kind == "\\":  # "\ No newline at end of file", handled with the line before it
                index += 1
                continue
            if index + 1 < len(lines) and lines[index + 1].startswith("\\"):
                text = text[:-1]
            if kind in " -":
                assert old[position] == text
                position += 1
            if kind in " +":
                result.append(text)
            index += 1
    return result + old[position:]


def test_dry_run_diff_applies_to_give_the_fixed_file():
    """The diff is computed on the changed span only (report/diff.py): it must still turn the
    original into the fixed file, hunk numbers included."""
    import random

    from celery_fix.report.diff import _lines, unified_diff

    random.seed(7)
    source = (Path(__file__).resolve().parent.parent / "celery_fix" / "engine" / "checker.py").read_bytes().split(b"\n")
    for _ in range(200):
        lines = list(source)
        for _ in range(random.randint(1, 5)):
            where = random.randrange(len(lines))
            choice = random.random()
            if choice < 0.4:
                lines[where] += b"  # changed"
            elif choice < 0.7:
                lines.insert(where, b"")
            else:
                del lines[where]
        before, after = b"\n".join(source), b"\n".join(lines)
        diff = unified_diff("m.py", before, after, "utf-8")
        assert _apply_unified(_lines(before, "utf-8"), diff) == _lines(after, "utf-8")


def test_a_warning_is_found_by_its_file_not_by_its_words(tmp_path):
    """The index keeps its warnings per file: a file whose name holds the words of the message
    (": not indexed") is warned about like any other."""
    odd = tmp_path / "odd: not indexed, really.py"
    odd.write_text('import celery\nNAME = "\\N{NO SUCH NAME}"\n')  # libcst parses it, Python's ast does not
    result = run("--no-cache", str(tmp_path))
    warnings = [line for line in result.output.splitlines() if line.startswith("celery-fix: warning: ")]
    assert len(warnings) == 1 and warnings[0].startswith(f"celery-fix: warning: {odd}: not indexed, Python"), warnings
