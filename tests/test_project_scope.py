"""The index comes from the whole project whatever paths are named; findings only for those paths."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from cli_run import run_in
from click.testing import CliRunner

from celery_fix.cli import main
from celery_fix.project import project_root, root_of

SHOP = Path(__file__).resolve().parent.parent / "examples" / "shop"


def run(cwd: Path, *args: str):
    return run_in(cwd, "-q", *args)


def finding_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": CEL" in line]


@pytest.fixture(scope="module")
def shop(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("scope") / "shop"
    shutil.copytree(SHOP, target)
    return target


@pytest.fixture(scope="module")
def full_run(shop) -> list[str]:
    return finding_lines(run(shop, ".").output)


@pytest.mark.parametrize("name", ["orders/tasks.py", "orders/views.py", "orders/services.py", "shop/settings.py"])
def test_one_file_run_equals_that_files_part_of_a_full_run(shop, full_run, name):
    one = finding_lines(run(shop, name).output)
    assert one, name  # each of these files has findings in the example
    assert one == [line for line in full_run if line.startswith(f"{name}:")]


def test_cross_file_findings_survive_a_subset(shop, full_run):
    # CEL401 must know that views.py reads render_invoice's result; CEL805 needs the beat schedule
    one = finding_lines(run(shop, "orders/tasks.py").output)
    assert not any("render_invoice" in line and "CEL401" in line for line in one)
    assert any("CEL805" in line for line in one)


def test_subset_named_from_outside_the_project(shop, full_run):
    result = run(shop.parent, "shop/orders/tasks.py")
    expected = [f"shop/{line}" for line in full_run if line.startswith("orders/tasks.py:")]
    assert finding_lines(result.output) == expected


def test_project_root_markers(tmp_path):
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "pkg" / "manage.py").write_text("")
    (tmp_path / "pkg" / "sub" / "x.py").write_text("")
    assert root_of(tmp_path / "pkg" / "sub" / "x.py") == (tmp_path / "pkg").resolve()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "setup.cfg").write_text("")
    assert project_root([tmp_path / "pkg" / "sub", tmp_path / "other"]) == tmp_path.resolve()


def test_git_root_when_no_marker(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert root_of(tmp_path / "a" / "b") == tmp_path.resolve()


def test_force_exclude_applies_exclude_to_named_files(shop):
    pyproject = shop / "pyproject.toml"
    pyproject.write_text('[tool.celery-fix]\nexclude = ["orders/tasks.py"]\n')
    try:
        assert finding_lines(run(shop, "orders/tasks.py").output)  # named: checked anyway
        excluded = run(shop, "--force-exclude", "orders/tasks.py")
        assert finding_lines(excluded.output) == [] and excluded.exit_code == 0
        assert finding_lines(run(shop, "--force-exclude", "orders/views.py").output)
    finally:
        pyproject.unlink()


def test_missing_path_is_reported_once(shop):
    result = run(shop, "no_such.py")
    assert result.exit_code == 2
    assert result.stderr.count("no_such.py") == 1


def test_syntax_error_uses_pythons_line_and_column(tmp_path):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "bad.py").write_text("from celery import shared_task\n\n@shared_task\ndef f(:\n    pass\n")
    result = run(tmp_path, "bad.py")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == ["celery-fix: error: bad.py:4:7: syntax error: invalid syntax"]


def _settings(cwd: Path, *args: str) -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    result = run(cwd, "--show-settings", *args)
    assert result.exit_code == 0, result.stderr
    return tomllib.loads(result.stdout)


@pytest.mark.parametrize("marker", [None, "manage.py", "setup.cfg"])
def test_the_cache_goes_into_the_project_wherever_the_run_starts(tmp_path, monkeypatch, marker):
    """Without a configuration file the config root is the project root (the same markers the
    index looks for), else the named directory: never the working directory as such."""
    monkeypatch.delenv("CELERY_FIX_CACHE_DIR", raising=False)
    project, elsewhere = tmp_path / "proj", tmp_path / "elsewhere"
    (project / "app").mkdir(parents=True)
    elsewhere.mkdir()
    (project / "app" / "tasks.py").write_text("from celery import shared_task\n")
    if marker:
        (project / marker).write_text("")
    old = os.getcwd()
    os.chdir(elsewhere)
    try:
        result = CliRunner(mix_stderr=False).invoke(main, [str(project / "app")], catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.stderr
    assert os.listdir(elsewhere) == []
    expected = project if marker else project / "app"
    assert (expected / ".celery-fix-cache").is_dir()
    settings = _settings(elsewhere, str(project / "app"))
    assert settings["config-root"] == str(expected.resolve())
    assert settings["cache-dir"] == str(expected.resolve() / ".celery-fix-cache")
    if marker:  # the index's project root and the config root are one
        assert settings["project-root"] == settings["config-root"]


def test_show_settings_names_the_cache_directory_variable(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text("")
    monkeypatch.setenv("CELERY_FIX_CACHE_DIR", str(tmp_path / "cache"))
    assert _settings(tmp_path)["cache-dir"] == str(tmp_path / "cache")


@pytest.mark.parametrize("named", ["link", "link/orders/tasks.py"])
def test_a_project_named_through_a_symlink_is_indexed_once(shop, tmp_path, named):
    """The project root is resolved; the named paths reach it through a link: the index holds
    each file once, spelled as the named paths are, and the findings are a plain run's."""
    (tmp_path / "link").symlink_to(shop, target_is_directory=True)
    plain = _settings(shop, ".")
    for spelling in (named, str(tmp_path / named)):  # relative through the link, and absolute
        settings = _settings(tmp_path, spelling)
        assert settings["indexed-files"] == plain["indexed-files"], spelling
        through_link = finding_lines(run(tmp_path, spelling).output)
        prefix = spelling[: len(spelling) - len(named)] + "link/"
        assert through_link == [prefix + line for line in full_run_of(shop, named)], spelling


def full_run_of(shop: Path, named: str) -> list[str]:
    inside = named.removeprefix("link").lstrip("/")
    return [line for line in finding_lines(run(shop, ".").output) if line.startswith(inside)]
