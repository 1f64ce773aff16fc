"""`--add-noqa`: a directive on every finding --apply would not fix, where our reader finds it, the
rest of the line kept byte for byte; a second run adds nothing and a check reports nothing."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from cli_run import run_in as run

from celery_fix.engine.model import Finding
from celery_fix.noqa_writer import add_directives

HEADER = "from celery import shared_task\n\n\n"



def findings(cwd: Path, *args: str) -> list[dict]:
    return json.loads(run(cwd, "--format", "json", *args).stdout)["findings"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    return tmp_path


def write(project: Path, body: str, name: str = "tasks.py", newline: str = "\n") -> Path:
    path = project / name
    path.write_bytes((HEADER + body).replace("\n", newline).encode())
    return path


def test_directives_silence_what_apply_would_not_fix(project):
    path = write(project, (
        "@shared_task(autoretry_for=(Exception,), retry_backoff=True, ignore_result=True)\n"
        "def broad():\n    pass\n\n\n"
        "@shared_task(autoretry_for=(IOError,), ignore_result=True)\n"  # CEL202: fixed by --apply, left alone
        "def fixable():\n    pass\n"
    ))
    before = findings(project, ".")
    assert {f["code"] for f in before} == {"CEL201", "CEL202"}
    result = run(project, "--add-noqa", ".")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "Added 1 noqa directive to 1 file.\n"
    text = path.read_text()
    assert "@shared_task(autoretry_for=(Exception,), retry_backoff=True, ignore_result=True)  # noqa: CEL201\n" in text
    assert "@shared_task(autoretry_for=(IOError,), ignore_result=True)\n" in text
    after = findings(project, ".")
    assert [f["code"] for f in after] == ["CEL202"]  # only what --apply fixes is left
    again = run(project, "--add-noqa", ".")
    assert again.stderr == "Added 0 noqa directives to 0 files.\n" and path.read_text() == text  # idempotent


def test_unsafe_fixes_count_as_fixed_only_with_unsafe_fixes(project):
    path = write(project, "@shared_task(ignore_result=True)\ndef a():\n    pass\n")
    run(project, "--add-noqa", "--select", "CEL301", "--unsafe-fixes", ".")
    assert "noqa" not in path.read_text()  # --apply --unsafe-fixes would fix it
    run(project, "--add-noqa", "--select", "CEL301", ".")
    assert "@shared_task(ignore_result=True)  # noqa: CEL301\n" in path.read_text()
    assert findings(project, "--select", "CEL301", ".") == []


@pytest.mark.parametrize(
    "line, expected",
    [
        ("x = 1  # noqa: E501", "x = 1  # noqa: E501, CEL201"),
        ("x = 1  # NOQA:E501,W291 trailing words", "x = 1  # NOQA:E501,W291, CEL201 trailing words"),
        ("x = 1  # why this is so", "x = 1  # why this is so  # noqa: CEL201"),
        ("x = '#'  # noqa: E501", "x = '#'  # noqa: E501, CEL201"),
        ("x = 1   ", "x = 1   # noqa: CEL201"),  # trailing blanks kept
        ("x = 1 ", "x = 1  # noqa: CEL201"),
        ("x = 1\t", "x = 1\t # noqa: CEL201"),
    ],
)
def test_the_rest_of_the_line_is_kept_and_noqa_lists_are_merged(line, expected):
    finding = Finding("m.py", 1, 1, "CEL201", "broad-autoretry", "m", "error", None)
    assert add_directives(f"{line}\ny = 2\n".encode(), [finding]).source == f"{expected}\ny = 2\n".encode()


def test_codes_of_one_line_share_one_directive():
    made = [Finding("m.py", 2, 1, code, "n", "m", "error", None) for code in ("CEL905", "CEL903", "CEL905")]
    added = add_directives(b"import x\ny = 2\n", made)
    assert added.source == b"import x\ny = 2  # noqa: CEL903, CEL905\n" and added.directives == 1


def test_a_line_ending_inside_a_string_gets_the_directive_above(project):
    path = write(project, (
        "@shared_task(ignore_result=True)\n"
        "def report():\n"
        "    print(\"\"\"one\n"
        "two\"\"\")\n"
    ))
    assert [f["code"] for f in findings(project, ".")] == ["CEL904"]
    run(project, "--add-noqa", ".")
    assert "    # lint-ignore: CEL904\n    print(\"\"\"one\ntwo\"\"\")\n" in path.read_text()
    assert findings(project, ".") == []
    compile(path.read_text(), str(path), "exec")


def test_a_backslash_continued_line_gets_the_directive_above():
    source = b"x = 1\ny = 2 + \\\n    3\n"
    added = add_directives(source, [Finding("m.py", 2, 1, "CEL201", "n", "m", "error", None)])
    assert added.source == b"x = 1\n# lint-ignore: CEL201\ny = 2 + \\\n    3\n"
    compile(added.source, "m.py", "exec")


def test_no_place_at_all_is_a_warning_not_a_broken_file():
    source = b'x = """a\nb""" + \\\n    "c"\n'  # line 2 starts inside a string and ends with a backslash
    added = add_directives(source, [Finding("m.py", 2, 1, "CEL201", "n", "m", "error", None)])
    assert added.source == source and added.unplaced == [2]


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_line_endings_and_no_final_newline_are_kept(newline):
    source = f"x = 1{newline}y = '''a{newline}b'''{newline}z = 3".encode()
    made = [Finding("m.py", n, 1, "CEL201", "n", "m", "error", None) for n in (1, 3, 4)]
    # line 3 starts inside the string: only its end could hold a comment, and it does
    expected = f"x = 1  # noqa: CEL201{newline}y = '''a{newline}b'''  # noqa: CEL201{newline}z = 3  # noqa: CEL201"
    assert add_directives(source, made).source == expected.encode()


def test_encoding_and_bom_are_kept():
    source = "\ufeffx = 'é'\n".encode("utf-8-sig")
    added = add_directives(source, [Finding("m.py", 1, 1, "CEL201", "n", "m", "error", None)])
    assert added.source == "\ufeffx = 'é'  # noqa: CEL201\n".encode("utf-8-sig")
    latin = b"# -*- coding: latin-1 -*-\nx = '\xe9'\n"
    added = add_directives(latin, [Finding("m.py", 2, 1, "CEL201", "n", "m", "error", None)])
    assert added.source == b"# -*- coding: latin-1 -*-\nx = '\xe9'  # noqa: CEL201\n"


def test_crlf_file_on_disk_round_trip(project):
    path = write(project, "@shared_task(autoretry_for=(Exception,), retry_backoff=True, ignore_result=True)\ndef broad():\n    pass\n", newline="\r\n")
    run(project, "--add-noqa", ".")
    assert b"ignore_result=True)  # noqa: CEL201\r\ndef broad():\r\n" in path.read_bytes()
    assert findings(project, ".") == []


def test_read_only_file_is_an_error_and_not_written(project):
    path = write(project, "@shared_task(autoretry_for=(Exception,), retry_backoff=True, ignore_result=True)\ndef b():\n    pass\n")
    before = path.read_bytes()
    path.chmod(stat.S_IRUSR)
    try:
        result = run(project, "--add-noqa", ".")
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert result.exit_code == 2
    assert "read-only file; not written" in result.stderr
    assert path.read_bytes() == before


def test_add_noqa_with_apply_is_a_usage_error(project):
    result = run(project, "--add-noqa", "--apply", ".")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "--add-noqa" in result.stderr
