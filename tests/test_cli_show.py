"""`--show-settings` (the resolved configuration, as TOML) and `--show-files` (what a run reads)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from cli_run import run_in as run

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

TASK = "from celery import shared_task\n\n\n@shared_task(autoretry_for=(IOError,))\ndef sync():\n    pass\n"



@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.ruff]\nline-length = 100\n\n"
        "[tool.celery-fix]\nselect = [\"CEL2\", \"CEL401\"]\nignore = [\"CEL204\"]\nexclude = [\"legacy/*\"]\n"
        "retry-backoff-max = 900\n\n[tool.celery-fix.per-file-ignores]\n\"tests/*\" = [\"ALL\"]\n"
    )
    for name in ("app/__init__.py", "app/tasks.py", "legacy/old.py", "generated/gen.py", "app/migrations/0001.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(TASK)
    (tmp_path / ".gitignore").write_text("generated/\n")
    return tmp_path


def test_show_settings_is_toml_with_the_effective_values(project):
    result = run(project, "--show-settings", "--extend-select", "CEL504", "--unsafe-fixes", "app/tasks.py")
    assert result.exit_code == 0, result.stderr
    settings = tomllib.loads(result.stdout)
    assert settings["config-file"] == str(project / "pyproject.toml")
    assert settings["project-root"] == str(project)
    assert settings["select"] == ["CEL2", "CEL401", "CEL504"]
    assert settings["ignore"] == ["CEL204"]
    assert settings["unsafe-fixes"] is True
    assert "CEL504" in settings["rules"] and "CEL204" not in settings["rules"]
    assert all(code.startswith(("CEL2", "CEL401", "CEL504")) for code in settings["rules"])
    assert settings["per-file-ignores"] == {"tests/*": ["ALL"]}
    assert settings["rule-options"]["retry-backoff-max"] == 900
    assert settings["rule-options"]["on-commit-style"] == "partial"  # a default
    assert settings["style"]["line-length"] == 100
    assert "app" in settings["style"]["known-first-party"]
    assert str(project) in settings["source-roots"]
    assert settings["checked-files"] == 1 and settings["indexed-files"] == 2  # app/__init__.py, app/tasks.py


def test_show_settings_lists_every_rule_option(project):
    from celery_fix.engine.registry import all_rule_infos

    settings = tomllib.loads(run(project, "--show-settings").stdout)
    assert set(settings["rule-options"]) == {key for info in all_rule_infos() for key in info.OPTIONS}


def test_show_settings_without_a_configuration(tmp_path):
    (tmp_path / "m.py").write_text(TASK)
    result = run(tmp_path, "--show-settings", "m.py")
    settings = tomllib.loads(result.stdout)
    assert "config-file" not in settings and "select" not in settings and "project-root" not in settings
    assert "config-file: none found" in result.stdout


def test_show_files_lists_what_a_run_checks(project):
    result = run(project, "--show-files")
    assert result.exit_code == 0
    listed = result.stdout.splitlines()
    assert listed == ["app/__init__.py", "app/tasks.py"]  # not legacy/ (exclude), generated/ (.gitignore), migrations
    checked = json.loads(run(project, "--format", "json", ".").stdout)["summary"]["files"]
    assert len(listed) == checked


def test_show_files_and_named_files(project):
    assert run(project, "--show-files", "legacy/old.py").stdout == "legacy/old.py\n"  # named: checked
    assert run(project, "--show-files", "--force-exclude", "legacy/old.py", "app/tasks.py").stdout == "app/tasks.py\n"


def test_show_files_missing_path_is_an_error(project):
    result = run(project, "--show-files", "nope.py")
    assert result.exit_code == 2
    assert result.stderr == "celery-fix: error: nope.py: no such file or directory\n"
