"""`.gitignore` as git reads it, checked against git itself: nested files, negation,
directory-only patterns, `.git/info/exclude`, and the repository root's file from a subproject."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from celery_fix.config import load_config
from celery_fix.discover import discover, excluded_file, without_excluded
from celery_fix.gitignore import _IgnoreFile

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

# (file, contents): the ignore files of the repository
IGNORES = {
    ".gitignore": "*.gen.py\n/top_only.py\nlogs/\n!keep.gen.py\nscratch\n",
    "app/.gitignore": "local_*.py\n!local_ok.py\n/anchored.py\nsub/deep.py\n",
    "app/sub/.gitignore": "!*.gen.py\n",  # re-includes what the root ignores, below here only
    "app/logs_file/.gitignore": "",
    "lib/.gitignore": "*\n!*/\n!*.py\nsecret.py\n",
    ".git/info/exclude": "excluded_by_info.py\nlocal_ok.py\n",  # the lowest precedence: app/ re-includes
}
FILES = [
    "a.py", "x.gen.py", "keep.gen.py", "top_only.py", "app/top_only.py", "logs/x.py", "app/logs/y.py",
    "app/logs_file/z.py", "scratch/s.py", "app/scratch.py", "app/local_x.py", "app/local_ok.py",
    "app/anchored.py", "app/sub/anchored.py", "app/sub/deep.py", "app/other/sub/deep.py", "app/sub/y.gen.py",
    "app/sub/more/z.gen.py", "lib/ok.py", "lib/secret.py", "lib/pkg/mod.py", "excluded_by_info.py",
    "app/excluded_by_info.py", "app/sub/local_x.py", "service/pyproject_dir/b.py", "service/c.gen.py",
]


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True, env=env).stdout


@pytest.fixture
def repo(tmp_path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    for name, text in IGNORES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    for name in FILES:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x = 1\n")
    return root


def git_keeps(repo: Path, cwd: Path) -> set[Path]:
    """The .py files git does not ignore (all are untracked: ls-files --others shows the kept ones)."""
    listed = git(cwd, "ls-files", "--others", "--exclude-standard", "-z").split("\0")
    return {(cwd / name).resolve() for name in listed if name.endswith(".py")}


def test_discovery_keeps_what_git_keeps(repo):
    config = load_config([repo])
    found = {f.resolve() for f in discover([repo], config).files}
    assert found == git_keeps(repo, repo)
    # the table is worth something only if it covers both answers
    assert 5 < len(found) < len(FILES) - 5


def test_named_files_are_excluded_as_git_would(repo):
    config = load_config([repo])
    kept = git_keeps(repo, repo)
    for name in FILES:
        assert excluded_file(repo / name, config) == ((repo / name).resolve() not in kept), name
    # --force-exclude's filter (one reading of the ignore files for the batch) agrees
    assert {f.resolve() for f in without_excluded([repo / name for name in FILES], config)} == kept


def test_from_a_subproject_the_repository_root_gitignore_counts(repo):
    service = repo / "service"
    (service / "pyproject.toml").write_text("[tool.celery-fix]\n")
    config = load_config([service])
    assert config.root == service.resolve()
    found = {f.resolve() for f in discover([service], config).files}
    assert found == git_keeps(repo, service)
    assert (service / "c.gen.py").resolve() not in found  # the root's `*.gen.py`


def test_respect_gitignore_false_reads_none_of_them(repo):
    (repo / "pyproject.toml").write_text("[tool.celery-fix]\nrespect-gitignore = false\n")
    found = {f.resolve() for f in discover([repo], load_config([repo])).files}
    assert found == {(repo / name).resolve() for name in FILES}


@pytest.mark.parametrize(
    "gitignore",
    [
        "# comment\n\nbuild/\n*.pyc\n/gen\ndocs/**\n",
        # negations: the last pattern that matches decides
        "build/\n!build/keep.py\n*.py\n!src/**/*.py\nsrc/gen/\n.*\n!.github\n",
    ],
)
def test_grouped_gitignore_regexes_agree_with_pathspec(tmp_path, gitignore):
    (tmp_path / ".gitignore").write_text(gitignore)
    ignore = _IgnoreFile.read(tmp_path / ".gitignore")
    assert ignore.groups is not None
    paths = ["build/", "a/build/", "build/keep.py", "build/x.py", "x.py", "src/a/x.py", "src/gen/x.py", "src/gen/",
             "gen/x.py", "deep/gen/x.py", "docs/conf.py", "docs/", "a/b.pyc", ".github/", ".github/w.py", ".venv/"]
    for path in paths:
        assert ignore.decide(path.rstrip("/"), is_dir=path.endswith("/")) == ignore.spec.check_file(path).include, path


def test_a_project_reached_through_a_symlink_keeps_what_git_keeps(repo, tmp_path):
    """config.root is resolved; the walked and named paths are as spelled (`/tmp` is a link to
    `/private/tmp` on macOS): they are matched as the real directories."""
    (repo / "pyproject.toml").write_text('[tool.celery-fix]\nexclude = ["app/other/*"]\n')
    link = tmp_path / "link"
    link.symlink_to(repo, target_is_directory=True)
    config = load_config([link])
    kept = git_keeps(repo, repo) - {(repo / "app/other/sub/deep.py").resolve()}
    found = discover([link], config).files
    assert all(str(f).startswith(str(link)) for f in found)  # named as the user spelled them
    assert {f.resolve() for f in found} == kept
    for name in FILES:
        assert excluded_file(link / name, config) == ((repo / name).resolve() not in kept), name


def test_a_nested_repository_has_none_of_the_outer_patterns(repo):
    """git does not apply an outer repository's .gitignore nor info/exclude inside a repository
    of its own (a nested clone): its files are the inner repository's to ignore."""
    inner = repo / "vendor" / "inner"
    inner.mkdir(parents=True)
    git(inner, "init", "-q")
    for name in ("x.gen.py", "excluded_by_info.py", "ok.py", "local_x.py"):
        (inner / name).write_text("x = 1\n")
    (inner / ".gitignore").write_text("local_*.py\n")
    found = {f.resolve() for f in discover([repo], load_config([repo])).files}
    assert {f for f in found if inner.resolve() in f.parents} == git_keeps(inner, inner)
    assert {p.name for p in git_keeps(inner, inner)} == {"x.gen.py", "excluded_by_info.py", "ok.py"}
    # and the outer files keep the outer rules
    assert found - {f for f in found if inner.resolve() in f.parents} == git_keeps(repo, repo) - {
        f for f in git_keeps(repo, repo) if inner.resolve() in f.parents
    }
