"""A copy of examples/shop to run the command on in-process with the cache on (in the test's
temporary directory), for the tests of what a warm run reuses."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from celery_fix import run_cache
from celery_fix.cli import main
from celery_fix.engine import stat_digests

SHOP = Path(__file__).resolve().parent.parent / "examples" / "shop"


def trust_fresh_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache in `tmp_path`; files just written count as settled (the racy rules have their own tests)."""
    monkeypatch.setenv("CELERY_FIX_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(run_cache, "RACY_NS", 0)
    monkeypatch.setattr(stat_digests, "RACY_NS", 0)


def copy_shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example project, made the working directory."""
    root = tmp_path / "shop"
    shutil.copytree(SHOP, root, ignore=shutil.ignore_patterns(".celery-fix-cache"))
    monkeypatch.chdir(root)
    return root


def run_cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner(mix_stderr=False).invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr
