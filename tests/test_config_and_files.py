"""[tool.celery-fix] loading, per-file ignores and excludes, and the atomic, careful file writer."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from celery_fix.config import ConfigError, load_config
from celery_fix.engine.files import FileError, write_atomic
from celery_fix.discover import discover
from celery_fix.constructs.modules import module_name_for
from test_cli import RETRYING, run


def write_pyproject(root: Path, body: str) -> None:
    (root / "pyproject.toml").write_text("[tool.celery-fix]\n" + body)


def test_nearest_pyproject_is_read(tmp_path):
    write_pyproject(tmp_path, 'ignore = ["CEL202"]\nretry-backoff-max = 300\n')
    (tmp_path / "pkg").mkdir()
    config = load_config([tmp_path / "pkg"])
    assert config.ignore == ("CEL202",)
    assert config.rule_options == {"retry-backoff-max": 300}
    assert config.root == tmp_path.resolve()


@pytest.mark.parametrize(
    "body, message",
    [
        ('selekt = ["CEL202"]\n', "unknown key in [tool.celery-fix]: selekt"),
        ('select = ["CEL999"]\n', "unknown rule code or prefix: CEL999"),
        ('retry-backoff-max = "ten"\n', "retry-backoff-max must be int"),
        ("select = [\n", "invalid TOML"),
    ],
)
def test_config_mistakes_are_one_line_usage_errors(tmp_path, body, message):
    write_pyproject(tmp_path, body)
    with pytest.raises(ConfigError) as info:
        load_config([tmp_path])
    assert message in str(info.value)
    (tmp_path / "t.py").write_text(RETRYING)
    result = run(str(tmp_path))
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and message in result.output


def test_config_option_reaches_the_fix(tmp_path):
    write_pyproject(tmp_path, "retry-backoff-max = 300\nexplicit-backoff-defaults = true\n")
    (tmp_path / "t.py").write_text(RETRYING)
    assert run("--apply", str(tmp_path)).exit_code == 0
    assert "retry_backoff_max=300" in (tmp_path / "t.py").read_text()


def test_cli_overrides_config_select(tmp_path):
    write_pyproject(tmp_path, 'ignore = ["CEL202"]\n')
    (tmp_path / "t.py").write_text(RETRYING)
    assert run(str(tmp_path)).exit_code == 0
    assert run("--select", "CEL202", str(tmp_path)).exit_code == 0  # ignore still applies last


def test_per_file_ignores_and_exclude(tmp_path):
    write_pyproject(tmp_path, '[tool.celery-fix.per-file-ignores]\n"legacy/*" = ["CEL2"]\n')
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "old.py").write_text(RETRYING)
    assert run(str(tmp_path)).exit_code == 0
    write_pyproject(tmp_path, 'exclude = ["legacy"]\n')
    assert discover([tmp_path], load_config([tmp_path])).files == []


def test_gitignore_is_respected(tmp_path):
    (tmp_path / ".gitignore").write_text("generated/\n")
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "t.py").write_text(RETRYING)
    (tmp_path / "t.py").write_text(RETRYING)
    files = discover([tmp_path], load_config([tmp_path])).files
    assert [f.name for f in files] == ["t.py"] and files[0].parent == tmp_path


def test_module_name_follows_packages(tmp_path):
    package = tmp_path / "src" / "shop" / "orders"
    package.mkdir(parents=True)
    (tmp_path / "src" / "shop" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "tasks.py").write_text("")
    assert module_name_for(package / "tasks.py") == "shop.orders.tasks"
    assert module_name_for(package / "__init__.py") == "shop.orders"


def test_atomic_write_keeps_permissions(tmp_path):
    target = tmp_path / "t.py"
    target.write_bytes(b"old\n")
    os.chmod(target, 0o640)
    write_atomic(target, b"new\n", b"old\n")
    assert target.read_bytes() == b"new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["t.py"]  # no temp file left behind


def test_atomic_write_refuses_a_file_changed_during_the_run(tmp_path):
    target = tmp_path / "t.py"
    target.write_bytes(b"someone else's edit\n")
    with pytest.raises(FileError, match="changed on disk during the run"):
        write_atomic(target, b"new\n", b"old\n")
    assert target.read_bytes() == b"someone else's edit\n"


def test_apply_reports_a_file_changed_during_the_run(tmp_path, monkeypatch):
    import celery_fix.output as run_module  # where --apply writes

    (tmp_path / "t.py").write_text(RETRYING)
    real_write = run_module.write_atomic

    def edit_first(path, new, old):
        Path(path).write_text("# edited meanwhile\n" + RETRYING)
        return real_write(path, new, old)

    monkeypatch.setattr(run_module, "write_atomic", edit_first)
    result = run("--apply", str(tmp_path))
    assert result.exit_code == 2
    assert "changed on disk during the run" in result.output
    assert (tmp_path / "t.py").read_text().startswith("# edited meanwhile")


def test_atomic_write_failure_leaves_the_file_whole(tmp_path, monkeypatch):
    target = tmp_path / "t.py"
    target.write_bytes(b"old\n")

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(FileError, match="cannot write"):
        write_atomic(target, b"new\n", b"old\n")
    assert target.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["t.py"]


def test_every_subpackage_is_packaged():
    """pyproject lists packages by hand (codemods/ is mapped to celery_fix.codemods): a new
    subpackage missing from the list would be absent from an installed wheel."""
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    repo = Path(__file__).resolve().parent.parent
    listed = set(tomllib.loads((repo / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(repo).parts) for p in (repo / "celery_fix").rglob("__init__.py")
    } | {"celery_fix.codemods"}
    assert found == listed


def test_enumerated_option_values_are_checked_with_a_suggestion(tmp_path):
    from celery_fix.config import ConfigError, load_config

    (tmp_path / "pyproject.toml").write_text('[tool.celery-fix]\non-commit-style = "lamda"\n')
    with pytest.raises(ConfigError, match=r"on-commit-style must be one of .*did you mean 'lambda'"):
        load_config([tmp_path], None)
    (tmp_path / "pyproject.toml").write_text('[tool.celery-fix]\nselekt = ["CEL2"]\n')
    with pytest.raises(ConfigError, match=r"selekt \(did you mean select\?\)"):
        load_config([tmp_path], None)
    (tmp_path / "pyproject.toml").write_text('[tool.celery-fix]\nsoft-time-limit = 0\nbeat-scheduler = "database"\n')
    assert load_config([tmp_path], None).rule_options["soft-time-limit"] == 0


def test_the_config_choices_are_the_rules_own():
    from celery_fix.codemods.on_commit import STYLES
    from celery_fix.config import CHOICES
    from celery_fix.engine.registry import all_rule_infos
    from celery_fix.rules.visibility_timeout_below_runtime import DEFAULT_VISIBILITY

    assert set(CHOICES["on-commit-style"]) == set(STYLES)
    assert set(CHOICES["broker-transport"]) == {"auto", *DEFAULT_VISIBILITY}
    defaults = {key: value for rule in all_rule_infos() for key, value in rule.OPTIONS.items()}
    assert all(key in defaults and defaults[key] in values for key, values in CHOICES.items())
