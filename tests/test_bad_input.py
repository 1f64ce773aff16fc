"""Bad input, as a careful user would try it: each case is one line naming the path, exit 2, the other
files still checked (and fixed with --apply), no traceback, no file half-written (issue 17)."""

from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from celery_fix.cli import main

TASK = textwrap.dedent(
    """\
    from celery import shared_task
    from django.db import transaction


    @shared_task(ignore_result=True)
    def t(x):
        pass


    def f(x):
        with transaction.atomic():
            t.delay(x)
    """
)
FIXED_LINE = "transaction.on_commit(partial(t.delay, x))"
CONFIG = '[tool.celery-fix]\nselect = ["CEL701"]\n'


def cli(*args: str, cwd: Path):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, [*args, "--no-cache"], catch_exceptions=False)
    finally:
        os.chdir(old)


def errors_of(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("celery-fix: error:")]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(CONFIG)
    (tmp_path / "good.py").write_text(TASK)
    return tmp_path


def one_error_and_good_fixed(result, tree: Path, name: str) -> str:
    """The shared expectation: exit 2, exactly one error line naming `name`, good.py fixed."""
    assert "Traceback" not in result.output
    assert result.exit_code == 2, result.output
    errors = errors_of(result)
    assert len(errors) == 1 and name in errors[0], result.output
    assert FIXED_LINE in (tree / "good.py").read_text()
    return errors[0]


# -- files that cannot be read or parsed ----------------------------------------------------------
BAD_FILES = {
    "undecodable.py": b"import celery\nx = '\xff\xfe\xfa'\n",
    "syntax.py": TASK.replace("def f(x):", "def f(:").encode(),
    "utf16.py": TASK.encode("utf-16"),
    "nul.py": TASK.replace("pass", "pass  # a\0b").encode(),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_file_is_one_line_and_the_rest_is_fixed(tree, name):
    (tree / name).write_bytes(BAD_FILES[name])
    result = cli("--apply", ".", cwd=tree)
    one_error_and_good_fixed(result, tree, name)
    assert (tree / name).read_bytes() == BAD_FILES[name]  # an error file is never written


def test_a_syntax_error_has_pythons_line_and_column(tree):
    (tree / "syntax.py").write_bytes(BAD_FILES["syntax.py"])
    error = one_error_and_good_fixed(cli("--apply", ".", cwd=tree), tree, "syntax.py")
    assert "syntax.py:10:7: syntax error: invalid syntax" in error, error  # as CPython says it


def test_a_nul_byte_is_refused_not_fixed(tree):
    (tree / "nul.py").write_bytes(BAD_FILES["nul.py"])
    error = one_error_and_good_fixed(cli("--apply", ".", cwd=tree), tree, "nul.py")
    assert "NUL" in error


def test_utf16_is_reported_not_zero_findings(tree):
    (tree / "utf16.py").write_bytes(BAD_FILES["utf16.py"])
    error = one_error_and_good_fixed(cli("--apply", ".", cwd=tree), tree, "utf16.py")
    assert "UTF-16" in error


def test_deep_nesting_is_one_line_not_a_crash(tree):
    """libcst's native parser overflows its stack on ~1500 nested brackets (a segmentation fault):
    every libcst parse is behind the depth guard. A subprocess: a crash must not take pytest along."""
    (tree / "deep.py").write_text("import celery\nX = " + "[" * 1500 + "]" * 1500 + "\n")
    (tree / "deep_tasks.py").write_text("from celery import shared_task\nX = " + "(" * 1500 + ")" * 1500 + "\n")
    result = subprocess.run(
        [sys.executable, "-m", "celery_fix", "--apply", "--no-cache", "."], cwd=tree, capture_output=True, text=True,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("celery-fix: error:")]
    assert sorted(e.split(":")[2].strip() for e in errors) == ["deep.py", "deep_tasks.py"], result.stderr
    assert FIXED_LINE in (tree / "good.py").read_text()


def test_an_unreadable_file(tree, monkeypatch):
    (tree / "secret.py").write_text(TASK)
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "secret.py":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)  # root reads a 0o000 file: simulate it
    error = one_error_and_good_fixed(cli("--apply", ".", cwd=tree), tree, "secret.py")
    assert "Permission denied" in error


@pytest.mark.parametrize("layout", ["broken", "loop", "missing"])
def test_broken_symlinks_and_missing_paths(tree, layout):
    if layout == "broken":
        (tree / "gone.py").symlink_to(tree / "nowhere.py")
        args = ["--apply", "."]
    elif layout == "loop":
        (tree / "gone.py").symlink_to(tree / "gone.py")
        args = ["--apply", "."]
    else:
        args = ["--apply", ".", "gone.py"]
    result = cli(*args, cwd=tree)
    one_error_and_good_fixed(result, tree, "gone.py")


# -- files that are fine, however they are written ------------------------------------------------
GOOD_VARIANTS = {
    "latin1_cookie": ("# -*- coding: latin-1 -*-\n" + TASK.replace("pass", "pass  # caf\xe9")).encode("latin-1"),
    "bom": b"\xef\xbb\xbf" + TASK.encode(),
    "crlf": TASK.replace("\n", "\r\n").encode(),
    "mixed_endings": TASK.replace("pass\n", "pass\r\n").encode(),
    "cr_only": TASK.replace("\n", "\r").encode(),
    "tabs": TASK.replace("    ", "\t").encode(),
    "no_final_newline": TASK.rstrip("\n").encode(),
    "form_feed_indent": TASK.replace("        t.delay", "\x0c        t.delay").encode(),
    "form_feed_line": TASK.replace("def f(x):", "\x0cdef f(x):").encode(),
}


@pytest.mark.parametrize("variant", sorted(GOOD_VARIANTS))
def test_odd_but_valid_files_are_fixed_byte_exact(tree, variant):
    source = GOOD_VARIANTS[variant]
    compile(source, variant, "exec")  # valid Python, as CPython sees it
    path = tree / f"{variant}.py"
    path.write_bytes(source)
    result = cli("--apply", ".", cwd=tree)
    assert result.exit_code == 0, result.output
    fixed = path.read_bytes()
    compile(fixed, variant, "exec")
    assert FIXED_LINE.encode() in fixed
    # nothing but the fix changed: same line endings, encoding marks, form feeds
    for mark in (b"\r\n", b"\r", b"\t", b"\x0c", b"\xef\xbb\xbf", b"\xe9"):
        assert (mark in fixed) == (mark in source), mark
    assert cli("--apply", ".", cwd=tree).exit_code == 0 and path.read_bytes() == fixed  # idempotent


def test_an_empty_file(tree):
    (tree / "empty.py").write_bytes(b"")
    assert cli("--apply", ".", cwd=tree).exit_code == 0
    assert (tree / "empty.py").read_bytes() == b""


@pytest.mark.parametrize("variant", ["crlf", "no_final_newline", "form_feed_line", "mixed_endings"])
def test_the_dry_run_diff_applies_with_git_apply(tmp_path, variant):
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    (tmp_path / "pyproject.toml").write_text(CONFIG)
    path = tmp_path / "m.py"
    path.write_bytes(GOOD_VARIANTS[variant])
    result = cli(".", cwd=tmp_path)
    assert result.exit_code == 1
    text = result.stdout_bytes.decode()  # (click's result.output turns CRLF into LF)
    diff = text[text.index("--- a/"):text.rindex("\n", 0, len(text) - 1) + 1]
    (tmp_path / "fix.diff").write_bytes(diff.encode())
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    applied = subprocess.run(["git", "apply", "fix.diff"], cwd=tmp_path, capture_output=True, text=True)
    assert applied.returncode == 0, applied.stderr
    by_diff = path.read_bytes()
    path.write_bytes(GOOD_VARIANTS[variant])
    cli("--apply", ".", cwd=tmp_path)
    assert path.read_bytes() == by_diff


# -- writing ----------------------------------------------------------------------------------------
def test_a_read_only_file_is_refused(tree):
    (tree / "ro.py").write_text(TASK)
    os.chmod(tree / "ro.py", 0o444)
    one_error_and_good_fixed(cli("--apply", ".", cwd=tree), tree, "ro.py")
    assert (tree / "ro.py").read_text() == TASK


def test_a_read_only_directory_is_one_line_per_file_and_json_has_it(tree, monkeypatch):
    import tempfile

    (tree / "locked").mkdir()
    (tree / "locked" / "a.py").write_text(TASK)
    real = tempfile.mkstemp

    def mkstemp(*args, dir=None, **kwargs):
        if dir is not None and Path(dir).name == "locked":  # root ignores a 0o555 directory: simulate it
            raise PermissionError(13, "Permission denied", str(dir))
        return real(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    one_error_and_good_fixed(cli("--apply", ".", cwd=tree), tree, "a.py")
    (tree / "good.py").write_text(TASK)
    result = cli("--apply", "--format", "json", ".", cwd=tree)
    assert result.exit_code == 2
    report = json.loads(result.output[: result.output.rindex("}") + 1])
    assert len(report["errors"]) == 1 and "a.py" in report["errors"][0]
    assert (tree / "locked" / "a.py").read_text() == TASK


def test_a_long_file_name_gets_a_short_temp_name(tree):
    name = "t" * 250 + ".py"  # 253 bytes: a temp name built from it would pass NAME_MAX
    (tree / name).write_text(TASK)
    result = cli("--apply", ".", cwd=tree)
    assert result.exit_code == 0, result.output
    assert FIXED_LINE in (tree / name).read_text()


def test_hard_links_inode_mode_and_owner_are_kept(tree):
    path = tree / "good.py"
    os.chmod(path, 0o640)
    (tree / "other_name").mkdir()
    os.link(path, tree / "other_name" / "same.txt")  # not a .py: only good.py is checked
    owner = None
    if os.geteuid() == 0:
        owner = (1234, 1234)
        os.chown(path, *owner)
    before = os.stat(path)
    assert cli("--apply", ".", cwd=tree).exit_code == 0
    after = os.stat(path)
    assert (after.st_ino, after.st_nlink, after.st_mode) == (before.st_ino, 2, before.st_mode)
    assert FIXED_LINE in (tree / "other_name" / "same.txt").read_text()
    if owner:
        assert (after.st_uid, after.st_gid) == owner


def test_a_replaced_file_keeps_mode_and_owner(tree):
    path = tree / "good.py"
    os.chmod(path, 0o604)
    if os.geteuid() == 0:
        os.chown(path, 1234, 4321)
    before = os.stat(path)
    assert cli("--apply", ".", cwd=tree).exit_code == 0
    after = os.stat(path)
    assert (after.st_mode, after.st_uid, after.st_gid) == (before.st_mode, before.st_uid, before.st_gid)
    assert not [p for p in tree.rglob("*") if "celery-fix-" in p.name]


def test_a_symlink_to_a_file_of_the_tree_is_checked_and_written_once(tree):
    (tree / "alias.py").symlink_to("good.py")
    result = cli(".", cwd=tree)
    assert result.output.count("CEL701") == 1, result.output
    result = cli("--apply", ".", cwd=tree)
    assert result.exit_code == 0, result.output
    assert (tree / "alias.py").is_symlink()
    assert FIXED_LINE in (tree / "good.py").read_text()


# -- configuration and command line -----------------------------------------------------------------
@pytest.mark.parametrize("text, says", [
    ("[tool]\ncelery-fix = 3\n", "must be a table"),
    ('[tool.celery-fix.per-file-ignores]\n"t.py" = [1, 2]\n', "per-file-ignores"),
    ("[tool.celery-fix]\natomic-functions = [1, 2]\n", "atomic-functions"),
    ("[tool.celery-fix]\nretry-backoff-max = -5\n", "retry-backoff-max"),
    ("[tool.celery-fix]\nretry-backoff-max = true\n", "retry-backoff-max"),
    ("[tool.celery-fix]\nmin-tasks = 0\n", "min-tasks"),
])
def test_config_type_errors_are_one_line(tmp_path, text, says):
    (tmp_path / "pyproject.toml").write_text(text)
    (tmp_path / "good.py").write_text(TASK)
    result = cli(".", cwd=tmp_path)
    assert result.exit_code == 2 and "Traceback" not in result.output
    errors = errors_of(result)
    assert len(errors) == 1 and says in errors[0], result.output


def test_a_tool_that_is_not_a_table_is_not_ours_to_judge(tmp_path):
    (tmp_path / "pyproject.toml").write_text("tool = 3\n")
    (tmp_path / "good.py").write_text(TASK)
    assert cli(".", cwd=tmp_path).exit_code == 1  # the default rules ran


@pytest.mark.parametrize("args", [["--select", ""], ["--select", " , "], ["--explain", ""]])
def test_empty_selections_are_usage_errors(tree, args):
    result = cli(*args, ".", cwd=tree)
    assert result.exit_code == 2 and len(errors_of(result)) == 1, result.output
    assert "files checked" not in result.output and "CEL701" not in result.output  # no check ran


def test_huge_jobs_are_capped(tree):
    result = cli("-j", "99999999999999999999", ".", cwd=tree)
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_discovery_errors_are_printed_once_and_in_list_tasks_json(tree):
    result = cli(".", "missing.py", cwd=tree)
    assert result.exit_code == 2 and result.output.count("missing.py") == 1, result.output
    result = cli("--list-tasks", "--format", "json", ".", "missing.py", cwd=tree)
    assert result.exit_code == 2
    report = json.loads(result.output[: result.output.rindex("}") + 1])
    assert [e for e in report["errors"] if "missing.py" in e]


def test_an_output_encoding_that_cannot_say_the_name(tree):
    (tree / "задачи.py").write_text(TASK.replace("pass", "pass  # ж"))
    env = {**os.environ, "PYTHONIOENCODING": "latin-1"}
    result = subprocess.run([sys.executable, "-m", "celery_fix", "--no-cache", "."], cwd=tree, env=env,
                            capture_output=True)
    assert result.returncode == 1 and b"Traceback" not in result.stderr, result.stderr
    assert b"\\u0437" in result.stdout  # escaped, not a UnicodeEncodeError


# -- the cache cannot run code --------------------------------------------------------------------
class _Planted:
    def __reduce__(self):
        return (os.system, ("touch PWNED",))


@pytest.mark.parametrize("payload", [
    pickle.dumps(_Planted()),
    b'{"c": "Popen", "m": "subprocess", "v": {}}',
    b'{"c": "FileResult", "m": "celery_fix.engine.model", "v": {"path": 3}}',
    b'{"d": [[1, 2]]}' * 3,
    b"[" * 100000,
    b"\x80\x04\x95\xff\xff\xff\xff\xff\xff\xff\x7f",  # a pickle claiming a huge length
])
def test_a_planted_cache_entry_is_a_miss_and_runs_nothing(tree, payload):
    first = CliRunner()
    old = os.getcwd()
    os.chdir(tree)
    try:
        assert first.invoke(main, ["."]).exit_code == 1
        entries = [p for p in (tree / ".celery-fix-cache").rglob("*") if p.is_file() and p.parent.name != "celery-fix-cache"]
        entries = [p for p in entries if len(p.name) == 40]
        assert entries
        for entry in entries:
            entry.write_bytes(payload)
        result = first.invoke(main, ["."], catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code == 1 and "CEL701" in result.output
    assert not (tree / "PWNED").exists()


def test_a_syntax_error_in_a_pathological_file_is_a_syntax_error(tree):
    """The depth guard asks CPython when a file has many commas or brackets; a plain syntax error
    there is reported as one, not as "too deeply nested"."""
    (tree / "wide_tasks.py").write_text(
        "from celery import shared_task\nNAMES = [" + ", ".join(['"a"'] * 3000) + "]\nNAMES = = 1\n"
    )
    [error] = errors_of(cli(".", cwd=tree))
    assert error == "celery-fix: error: wide_tasks.py:3:9: syntax error: invalid syntax"


def test_a_named_lock_file_is_checked_as_python_and_says_so(tree):
    """A named file is checked whatever its name, as ruff does (a script without `.py`); one
    that is no Python gets a syntax error saying it was taken for Python, not "too deeply nested"."""
    lock = 'version = 1\n\n[[package]]\nname = "celery"\ndependencies = [' + ", ".join(['{ name = "a" }'] * 3000) + "]\n"
    (tree / "uv.lock").write_text(lock)
    result = cli("uv.lock", cwd=tree)
    assert result.exit_code == 2
    [error] = errors_of(result)
    assert re.match(r"celery-fix: error: uv\.lock:5:\d+: syntax error: ", error), error
    assert error.endswith("(not a .py file: checked as Python because it was named)"), error
    assert "too deeply nested" not in error
    (tree / "script").write_text(TASK)  # a script without `.py` is checked like any module
    cli("--apply", "script", cwd=tree)
    assert FIXED_LINE in (tree / "script").read_text()


def test_a_named_text_file_without_any_rule_word_gets_its_syntax_error(tree):
    """No rule would parse it (no word of theirs in it): a file named on the command line that
    is not `.py`/`.pyi` is still compiled, so `celery-fix notes.txt` is not "0 findings"."""
    (tree / "notes.txt").write_text("remember the milk\n")
    result = cli("notes.txt", "good.py", cwd=tree)
    assert result.exit_code == 2
    assert errors_of(result) == [
        "celery-fix: error: notes.txt:1:10: syntax error: invalid syntax"
        " (not a .py file: checked as Python because it was named)"
    ]
    assert "CEL701" in result.output  # the other named file is checked
