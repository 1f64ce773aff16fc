"""The codemods/ transformers as libcst codemod commands give the same output as the engine."""

from __future__ import annotations

import ast
import importlib
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from libcst.codemod import CodemodContext, TransformSuccess, transform_module

from celery_fix.codemods import retry_backoff
from snapshot_harness import all_cases

REPO = Path(__file__).resolve().parent.parent
# suppression comments are the engine's business; a bare codemod fixes every match; and it reads
# one file, so it cannot follow a `base=` class or see an app made by a factory (cases run with the ProjectIndex)
COMPARABLE = [c for c in all_cases() if c.code == "CEL202" and c.fixed_path.exists() and c.input.stem != "suppressed"
              and not c.with_index and c.input.stem != "app_from_factory"]


@pytest.mark.parametrize("case", COMPARABLE, ids=lambda c: c.id)
def test_command_matches_engine_fix(case):
    source = case.input.read_bytes()
    encoding = "latin-1" if b"latin-1" in source[:80] else "utf-8-sig" if source.startswith(b"\xef\xbb\xbf") else "utf-8"
    result = transform_module(retry_backoff.RetryBackoffCommand(CodemodContext()), source.decode(encoding))
    assert isinstance(result, TransformSuccess), result
    fixed = case.fixed_path.read_bytes()
    if result.code.encode(encoding) != fixed:
        # the engine wraps a decorator its fix made too long at the project's line length, as black
        # would; the codemod knows no project style (libcst.tool formats, or not, with --no-format)
        assert ast.dump(ast.parse(result.code)) == ast.dump(ast.parse(fixed.decode(encoding)))
        assert all(len(line) <= 88 for line in fixed.decode(encoding).splitlines() if line.lstrip().startswith("@"))


def test_libcst_tool_runs_the_command_from_the_repo(tmp_path):
    case = next(c for c in COMPARABLE if c.input.stem == "multiline")
    target = tmp_path / "tasks.py"
    shutil.copy(case.input, target)
    completed = subprocess.run(
        [sys.executable, "-m", "libcst.tool", "codemod", "retry_backoff.RetryBackoffCommand", "--no-format", str(target)],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert target.read_bytes() == case.fixed_path.read_bytes()


COMMANDS = [
    ("beat_expires", "BeatExpiresCommand"), ("crontab_minute", "CrontabMinuteCommand"),
    ("ignore_result", "IgnoreResultCommand"), ("on_commit", "OnCommitCommand"),
    ("retry_backoff", "RetryBackoffCommand"), ("task_name", "TaskNameCommand"),
]


@pytest.mark.parametrize(("module", "name"), COMMANDS)
def test_every_command_pickles_by_name(module, name):
    # libcst's parallel workers receive the command instance pickled: its class must be found by name
    command_class = getattr(importlib.import_module(f"celery_fix.codemods.{module}"), name)
    assert command_class.__qualname__ == name
    copy = pickle.loads(pickle.dumps(command_class(CodemodContext())))
    assert type(copy) is command_class


def test_every_command_module_is_listed():
    with_command = {path.stem for path in (REPO / "codemods").glob("*.py") if "_build_command" in path.read_text()}
    assert with_command == {module for module, _ in COMMANDS}


def _run_tool_in_parallel(tmp_path, command: list[str], cwd: Path) -> list[Path]:
    """libcst.tool on five copies of a CEL202 case with two workers (it runs files serially when
    -j or the file count, a quarter of it, is 1), checking that every copy got the engine's fix."""
    case = next(c for c in COMPARABLE if c.input.stem == "multiline")
    targets = []
    for number in range(5):
        target = tmp_path / "project" / f"tasks_{number}.py"
        target.parent.mkdir(exist_ok=True)
        shutil.copy(case.input, target)
        targets.append(target)
    completed = subprocess.run(
        [sys.executable, "-m", "libcst.tool", "codemod", *command, "--no-format", "-j", "2", str(tmp_path / "project")],
        cwd=cwd, capture_output=True, text=True, timeout=120, check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "Failed to codemod 0 files" in completed.stderr, completed.stderr
    assert all(t.read_bytes() == case.fixed_path.read_bytes() for t in targets)
    return targets


def test_libcst_tool_with_parallel_workers_from_the_checkout(tmp_path):
    _run_tool_in_parallel(tmp_path, ["retry_backoff.RetryBackoffCommand"], REPO)


def test_libcst_tool_with_parallel_workers_from_any_directory(tmp_path):
    # -x names the installed module: no .libcst.codemod.yaml needed where it runs
    (tmp_path / "elsewhere").mkdir()
    _run_tool_in_parallel(tmp_path, ["-x", "celery_fix.codemods.retry_backoff.RetryBackoffCommand"], tmp_path / "elsewhere")


def test_codemods_package_is_installed_under_celery_fix():
    assert retry_backoff.__name__ == "celery_fix.codemods.retry_backoff"
