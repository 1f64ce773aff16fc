"""The pre-commit hooks: a valid manifest, and a run on one staged file that equals a full run's
findings for that file (the index comes from the whole repository)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHOP = ROOT / "examples" / "shop"


def test_manifest_is_valid():
    pytest.importorskip("pre_commit")
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_hook_entry_on_one_staged_file_equals_a_full_run(tmp_path):
    # the hook's entry as pre-commit runs it: the staged file names appended to the entry
    import yaml

    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    entry = hooks["celery-fix"]["entry"].split()
    shutil.copytree(SHOP, tmp_path / "shop")
    cli = [sys.executable, "-m", "celery_fix", *entry[1:], "--no-cache", "-q"]
    one = subprocess.run([*cli, "orders/tasks.py"], cwd=tmp_path / "shop", capture_output=True, text=True, check=False)
    full = subprocess.run([*cli, "."], cwd=tmp_path / "shop", capture_output=True, text=True, check=False)
    assert one.returncode == 1
    findings = [line for line in one.stdout.splitlines() if ": CEL" in line]
    assert findings and findings == [line for line in full.stdout.splitlines() if line.startswith("orders/tasks.py:")]
