"""The codemods/ transformers as libcst codemod commands give the same output as the engine."""

from __future__ import annotations

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
    assert result.code.encode(encoding) == case.fixed_path.read_bytes()


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


def test_codemods_package_is_installed_under_celery_fix():
    assert retry_backoff.__name__ == "celery_fix.codemods.retry_backoff"
