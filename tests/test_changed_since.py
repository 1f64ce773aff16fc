"""`--changed-since REF`: findings of the files changed since a git ref (and untracked ones),
with the index of the whole project."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cli_run import run_in as run

SHOP = Path(__file__).resolve().parent.parent / "examples" / "shop"
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")



def findings(cwd: Path, *args: str) -> list[tuple]:
    document = json.loads(run(cwd, "--format", "json", *args).stdout)
    return [(f["filename"], f["location"]["line"], f["code"]) for f in document["findings"]]


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=t@t", "-c", "user.name=t", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    target = tmp_path / "shop"
    shutil.copytree(SHOP, target)
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-qm", "base")
    return target


def test_nothing_changed_reports_nothing(repo):
    result = run(repo, "--changed-since", "HEAD", ".")
    assert result.exit_code == 0, result.stderr
    assert findings(repo, "--changed-since", "HEAD", ".") == []


def test_changed_files_get_the_findings_of_a_full_run(repo):
    full = findings(repo, ".")
    with open(repo / "orders" / "views.py", "a") as handle:
        handle.write("# touched\n")  # unstaged
    with open(repo / "orders" / "services.py", "a") as handle:
        handle.write("# touched\n")
    git(repo, "add", "orders/services.py")  # staged
    with open(repo / "shop" / "settings.py", "a") as handle:
        handle.write("# touched\n")
    git(repo, "commit", "-qam", "later")  # committed after the ref (services.py and views.py too)
    with open(repo / "orders" / "tasks.py", "a") as handle:
        handle.write("# touched\n")
    since = findings(repo, "--changed-since", "HEAD~1", ".")
    changed = {"orders/views.py", "orders/services.py", "shop/settings.py", "orders/tasks.py"}
    # the cross-file findings (CEL70x, CEL401, CEL80x) come out as in a full run: the index is whole
    assert since == [f for f in full if f[0] in changed]
    assert {f[0] for f in since} == changed
    only_tasks = findings(repo, "--changed-since", "HEAD", ".")
    assert only_tasks == [f for f in full if f[0] == "orders/tasks.py"] != []


def test_untracked_files_count_and_ignored_ones_do_not(repo):
    task = "from celery import shared_task\n\n\n@shared_task(autoretry_for=(IOError,))\ndef extra():\n    pass\n"
    (repo / "orders" / "extra.py").write_text(task)
    (repo / ".gitignore").write_text("scratch/\n")
    (repo / "scratch").mkdir()
    (repo / "scratch" / "tmp.py").write_text(task)
    assert {f[0] for f in findings(repo, "--changed-since", "HEAD", ".")} == {"orders/extra.py"}


def test_named_paths_limit_it_further(repo):
    for name in ("orders/views.py", "orders/tasks.py"):
        with open(repo / name, "a") as handle:
            handle.write("# touched\n")
    assert {f[0] for f in findings(repo, "--changed-since", "HEAD", "orders/tasks.py")} == {"orders/tasks.py"}


def test_run_from_a_subdirectory(repo):
    with open(repo / "orders" / "views.py", "a") as handle:
        handle.write("# touched\n")
    assert {f[0] for f in findings(repo / "orders", "--changed-since", "HEAD", ".")} == {"views.py"}


def test_unknown_ref_is_one_line_exit_2(repo):
    result = run(repo, "--changed-since", "no-such-branch", ".")
    assert result.exit_code == 2
    assert result.stderr == "celery-fix: error: --changed-since: unknown git ref 'no-such-branch'\n"
    option_like = run(repo, "--changed-since", "--output=x", ".")
    assert option_like.exit_code == 2 and option_like.stderr.count("\n") == 1
    assert not (repo / "x").exists()


def test_not_a_git_repository_is_one_line_exit_2(tmp_path):
    (tmp_path / "m.py").write_text("x = 1\n")
    env_ceiling = os.environ.get("GIT_CEILING_DIRECTORIES")
    os.environ["GIT_CEILING_DIRECTORIES"] = str(tmp_path.parent)  # no repository above tmp_path either
    try:
        result = run(tmp_path, "--changed-since", "HEAD", ".")
    finally:
        if env_ceiling is None:
            del os.environ["GIT_CEILING_DIRECTORIES"]
        else:
            os.environ["GIT_CEILING_DIRECTORIES"] = env_ceiling
    assert result.exit_code == 2
    assert result.stderr == f"celery-fix: error: {Path('.')}: not a git repository\n"


def test_show_files_lists_only_the_changed_files(repo):
    with open(repo / "orders" / "views.py", "a") as handle:
        handle.write("# touched\n")
    (repo / "orders" / "new.py").write_text("x = 1\n")
    assert run(repo, "--show-files", "--changed-since", "HEAD", ".").stdout == "orders/new.py\norders/views.py\n"
