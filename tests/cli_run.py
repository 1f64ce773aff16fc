"""Running the command in-process from a directory, stdout and stderr apart, without the cache."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner, Result

from celery_fix.cli import main


def run_in(cwd: Path, *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> Result:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner(mix_stderr=False).invoke(
            main, ["--no-cache", *args], input=stdin, env=env, catch_exceptions=False
        )
    finally:
        os.chdir(old)
