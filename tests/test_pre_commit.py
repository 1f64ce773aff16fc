"""The pre-commit hooks: a valid manifest, and a run on one staged file that equals a full run's
findings for that file (the index comes from the whole repository)."""

from __future__ import annotations

import os
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


NETWORK_TROUBLE = ("Could not find a version", "Temporary failure in name resolution", "Failed to establish a new connection",
                   "No matching distribution")


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_real_hooks_on_one_staged_file(tmp_path):
    """pre-commit itself runs both hooks on one staged file of a committed project. `try-repo`
    clones this repository (with its uncommitted changes to tracked files) and builds the hooks'
    virtualenv with pip from PyPI, as `.ci/run` installs: about 15 s here, so no marker."""
    pytest.importorskip("pre_commit")
    if not (ROOT / ".git").exists():
        pytest.skip("this copy of celery-fix is not a git repository")
    hooks_repo = ROOT
    project = tmp_path / "shop"
    shutil.copytree(SHOP, project, ignore=shutil.ignore_patterns(".celery-fix-cache", "__pycache__"))
    _git(project, "init", "-q")
    _git(project, "add", ".")
    _git(project, "commit", "-q", "-m", "start")
    staged = project / "orders" / "tasks.py"
    staged.write_text(staged.read_text() + "\n")
    _git(project, "add", "orders/tasks.py")
    # what a full run says about that file, and what --apply makes of it (on a copy)
    cli = [sys.executable, "-m", "celery_fix", "--no-cache", "-q", "--no-diff"]
    full = subprocess.run([*cli, "."], cwd=project, capture_output=True, text=True, check=False)
    expected = [line for line in full.stdout.splitlines() if line.startswith("orders/tasks.py:")]
    fixed_copy = tmp_path / "fixed"
    shutil.copytree(project, fixed_copy, ignore=shutil.ignore_patterns(".git", ".celery-fix-cache"))
    subprocess.run([*cli, "--apply", "orders/tasks.py"], cwd=fixed_copy, capture_output=True, check=False)

    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(hooks_repo), "--color", "never"],
                          cwd=project, capture_output=True, text=True, check=False, env=env, timeout=600)
    output = done.stdout + done.stderr
    log = tmp_path / "pre-commit-home" / "pre-commit.log"
    if any(t in output or (log.exists() and t in log.read_text()) for t in NETWORK_TROUBLE):
        pytest.skip("pre-commit could not install the hook environment from PyPI")
    assert done.returncode == 1, output
    check, _, apply = output.partition("celery-fix (apply safe fixes)")
    assert "celery-fix (check)" in check and "Failed" in check.split("celery-fix (check)", 1)[1].splitlines()[0]
    found = [line for line in check.splitlines() if line.startswith("orders/tasks.py:")]
    assert expected and found == expected
    assert "files were modified by this hook" in apply
    assert staged.read_bytes() == (fixed_copy / "orders" / "tasks.py").read_bytes() != (SHOP / "orders" / "tasks.py").read_bytes() + b"\n"
