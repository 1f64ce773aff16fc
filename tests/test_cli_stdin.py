"""`celery-fix -`: one module on standard input, checked as the file --stdin-filename names, with
the index of the project around it (what editors call)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from cli_run import run_in as run

SHOP = Path(__file__).resolve().parent.parent / "examples" / "shop"



def finding_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": CEL" in line]


@pytest.fixture()
def shop(tmp_path) -> Path:
    target = tmp_path / "shop"
    shutil.copytree(SHOP, target)
    return target


@pytest.mark.parametrize("name", ["orders/tasks.py", "orders/views.py", "orders/services.py"])
def test_stdin_gives_the_findings_of_the_file_on_disk(shop, name):
    from_disk = run(shop, "-q", name)
    source = (shop / name).read_bytes()
    (shop / name).write_text("")  # the index must read the stdin text, not the disk's
    from_stdin = run(shop, "-q", "-", "--stdin-filename", name, stdin=source)
    assert from_stdin.exit_code == from_disk.exit_code == 1
    assert finding_lines(from_stdin.stdout) == finding_lines(from_disk.stdout) != []
    assert (shop / name).read_bytes() == b""  # nothing written


def test_apply_writes_the_fixed_module_to_stdout_only(shop, tmp_path):
    name = "orders/tasks.py"
    source = (shop / name).read_bytes()
    piped = run(shop, "--apply", "-", "--stdin-filename", name, stdin=source)
    assert (shop / name).read_bytes() == source  # the file is not written
    applied = run(shop, "--apply", name)
    assert applied.exit_code in (0, 1)
    assert piped.stdout_bytes == (shop / name).read_bytes() != source  # the same fixes as --apply writes
    assert all(": CEL" in line for line in piped.stderr.splitlines())  # the findings left, on stderr
    assert piped.exit_code == applied.exit_code


def test_stdin_filename_that_does_not_exist_still_gets_the_project(shop):
    """CEL703 needs ATOMIC_REQUESTS from the project's settings: a new file (not saved yet) gets them."""
    source = (shop / "orders" / "views.py").read_bytes()
    on_disk = finding_lines(run(shop, "-q", "orders/views.py").stdout)
    new = finding_lines(run(shop, "-q", "-", "--stdin-filename", "orders/views_new.py", stdin=source).stdout)
    assert any(" CEL703 " in line for line in on_disk)
    assert new == [line.replace("orders/views.py", "orders/views_new.py", 1) for line in on_disk]


def test_json_names_the_stdin_filename(shop):
    source = (shop / "orders" / "tasks.py").read_bytes()
    result = run(shop, "--format", "json", "-", "--stdin-filename", "orders/tasks.py", stdin=source)
    document = json.loads(result.stdout)
    assert document["findings"]
    assert {f["filename"] for f in document["findings"]} == {"orders/tasks.py"}
    assert {f["filename"] for f in document["fixes"]} == {"orders/tasks.py"}


def test_without_a_name_the_module_is_stdin_py_checked_alone(tmp_path):
    (tmp_path / "tasks.py").write_text("this is not python (\n")  # would be an error if it were indexed
    source = b"from celery import shared_task\n\n\n@shared_task(autoretry_for=(IOError,))\ndef f():\n    pass\n"
    result = run(tmp_path, "--select", "CEL202", "-", stdin=source)
    assert result.exit_code == 1
    assert finding_lines(result.stdout)[0].startswith("stdin.py:4:1: CEL202")  # task findings point at the decorator
    assert result.stderr == ""


@pytest.mark.parametrize(
    "source, words",
    [
        (b"x = '\xff'\n", "cannot decode"),
        (b"x = (\n", "syntax error: '(' was never closed"),
        (b"x = 1\0\n", "NUL byte"),
    ],
)
@pytest.mark.parametrize("apply", [False, True])
def test_bad_stdin_is_one_error_line_and_exit_2(tmp_path, source, words, apply):
    result = run(tmp_path, *(["--apply"] if apply else []), "-", "--stdin-filename", "m.py", stdin=source)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [result.stderr.strip()] and words in result.stderr
    assert result.stderr.startswith("celery-fix: error: m.py:")
    # an editor replaces its buffer with what --apply prints: it gets the module back unchanged
    assert result.stdout_bytes == (source if apply else b"")


def test_dash_with_other_paths_is_a_usage_error(tmp_path):
    result = run(tmp_path, "-", "other.py", stdin=b"x = 1\n")
    assert result.exit_code == 2
    assert "standard input" in result.stderr


def test_force_exclude_leaves_an_excluded_stdin_file_alone(shop):
    (shop / "pyproject.toml").write_text('[tool.celery-fix]\nexclude = ["orders/*"]\n')
    source = (shop / "orders" / "tasks.py").read_bytes()
    checked = run(shop, "--force-exclude", "-", "--stdin-filename", "orders/tasks.py", stdin=source)
    assert (checked.exit_code, checked.stdout) == (0, "")
    applied = run(shop, "--force-exclude", "--apply", "-", "--stdin-filename", "orders/tasks.py", stdin=source)
    assert (applied.exit_code, applied.stdout_bytes) == (0, source)
