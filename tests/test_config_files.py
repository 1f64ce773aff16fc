"""Which configuration file a run reads: `.celery-fix.toml` > `celery-fix.toml` > `[tool.celery-fix]`
in pyproject.toml in one directory, the nearest directory wins, `--config` takes either kind."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_cli import RETRYING, run

from celery_fix.config import ConfigError, load_config
from celery_fix.project import project_root

# each file ignores a different rule, so the one read shows in `config.ignore`
IGNORED = {".celery-fix.toml": "CEL101", "celery-fix.toml": "CEL102", "pyproject.toml": "CEL201"}
BODIES = {
    ".celery-fix.toml": 'ignore = ["CEL101"]\n',
    "celery-fix.toml": 'ignore = ["CEL102"]\n',
    "pyproject.toml": '[tool.celery-fix]\nignore = ["CEL201"]\n',
}


def write(directory: Path, name: str, body: str | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(BODIES[name] if body is None else body)
    return path


@pytest.mark.parametrize(
    "present, read",
    [
        ((".celery-fix.toml", "celery-fix.toml", "pyproject.toml"), ".celery-fix.toml"),
        (("celery-fix.toml", "pyproject.toml"), "celery-fix.toml"),
        ((".celery-fix.toml", "pyproject.toml"), ".celery-fix.toml"),
        (("pyproject.toml",), "pyproject.toml"),
    ],
)
def test_precedence_in_one_directory(tmp_path, present, read):
    for name in present:
        write(tmp_path, name)
    config = load_config([tmp_path / "pkg" / "tasks.py"])
    assert config.source == tmp_path / read
    assert config.ignore == (IGNORED[read],)
    assert config.root == tmp_path.resolve()


def test_the_nearest_directory_wins(tmp_path):
    write(tmp_path, ".celery-fix.toml")
    inner = write(tmp_path / "service", "pyproject.toml")
    config = load_config([tmp_path / "service"])
    assert config.source == inner and config.ignore == ("CEL201",)
    assert config.root == (tmp_path / "service").resolve()


def test_a_pyproject_without_the_table_is_passed_over(tmp_path):
    outer = write(tmp_path, "celery-fix.toml")
    write(tmp_path / "service", "pyproject.toml", "[tool.black]\nline-length = 100\n")
    config = load_config([tmp_path / "service"])
    assert config.source == outer and config.ignore == ("CEL102",)


def test_without_any_configuration_the_root_is_the_nearest_pyproject(tmp_path):
    write(tmp_path / "service", "pyproject.toml", "[project]\nname = 'x'\n")
    config = load_config([tmp_path / "service"])
    assert config.source is None and config.root == (tmp_path / "service").resolve()


@pytest.mark.parametrize("name, body", [
    ("ci.toml", 'ignore = ["CEL203"]\n'),
    ("pyproject.toml", '[tool.celery-fix]\nignore = ["CEL203"]\n'),
])
def test_config_option_takes_either_kind(tmp_path, name, body):
    write(tmp_path, ".celery-fix.toml")  # the nearest one, which --config overrides
    explicit = write(tmp_path / "settings", name, body)
    config = load_config([tmp_path], explicit)
    assert config.source == explicit and config.ignore == ("CEL203",)


@pytest.mark.parametrize("body, message", [
    ('selekt = ["CEL202"]\n', "unknown key: selekt (did you mean select?)"),
    ('select = ["CEL999"]\n', "unknown rule code or prefix: CEL999"),
    ('retry-backoff-max = "ten"\n', "retry-backoff-max must be int"),
    ('on-commit-style = "lamda"\n', "did you mean 'lambda'?"),
    ("select = [\n", "invalid TOML"),
])
def test_standalone_file_is_validated_as_pyproject_is(tmp_path, body, message):
    write(tmp_path / "a", "celery-fix.toml", body)
    write(tmp_path / "b", "pyproject.toml", "[tool.celery-fix]\n" + body)
    with pytest.raises(ConfigError) as standalone:
        load_config([tmp_path / "a"])
    with pytest.raises(ConfigError) as table:
        load_config([tmp_path / "b"])
    assert message in str(standalone.value)
    # the same check: one message, apart from the file and where the keys sit in it
    assert str(standalone.value).split(": ", 1)[1] == str(table.value).split(": ", 1)[1].replace(" in [tool.celery-fix]", "")


def test_a_tool_table_in_a_standalone_file_is_an_error(tmp_path):
    write(tmp_path, "celery-fix.toml", '[tool.celery-fix]\nignore = ["CEL202"]\n')
    with pytest.raises(ConfigError, match="top level"):
        load_config([tmp_path])


def test_a_standalone_file_marks_the_project_root(tmp_path):
    write(tmp_path / "service", "celery-fix.toml")
    (tmp_path / "service" / "orders").mkdir()
    assert project_root([tmp_path / "service" / "orders"]) == (tmp_path / "service").resolve()


def test_cli_reads_the_standalone_file(tmp_path):
    (tmp_path / "tasks.py").write_text(RETRYING)
    assert run("--select", "CEL202", "--no-cache", str(tmp_path)).exit_code == 1
    write(tmp_path, "celery-fix.toml", 'ignore = ["CEL202"]\n')
    assert run("--select", "CEL202", "--no-cache", str(tmp_path)).exit_code == 0
    elsewhere = write(tmp_path / "conf", "strict.toml", 'select = ["CEL202"]\n')
    result = run("--config", str(elsewhere), "--no-cache", str(tmp_path))
    assert result.exit_code == 1 and "CEL202" in result.output
    write(tmp_path, ".celery-fix.toml", 'selekt = ["CEL202"]\n')
    result = run("--no-cache", str(tmp_path))
    assert result.exit_code == 2 and result.output.strip().count("\n") == 0 and "did you mean select" in result.output
