"""Fixed code passes the project's own style checks: the style is read from its configuration,
and a fixture project that passes ruff's import-order and line-length checks and the formatters'
checks before the fixes passes them after."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from click.testing import CliRunner

from celery_fix.cli import main
from celery_fix.engine.style import FIRST_PARTY, LOCAL, STDLIB, THIRD_PARTY, CodeStyle
from celery_fix.project_style import read_project_style

FIXTURE = Path(__file__).parent / "fixtures" / "styled_proj"
CHECKS = (
    ("ruff", "check", "--quiet", "--no-cache", "--select", "I,E501", "."),
    ("ruff", "format", "--check", "--quiet", "--no-cache", "."),
    ("black", "--check", "--quiet", "."),
)


def _style_problems(project: Path) -> list[str]:
    problems = []
    for tool, *args in CHECKS:
        done = subprocess.run([sys.executable, "-m", tool, *args], cwd=project, capture_output=True, text=True)
        if done.returncode:
            problems.append(f"{tool} {' '.join(args)}:\n{done.stdout}{done.stderr}")
    return problems


def test_fixed_project_still_passes_ruff_and_black(tmp_path):
    project = tmp_path / "styled_proj"
    shutil.copytree(FIXTURE, project)
    before = {p: p.read_text() for p in project.rglob("*.py")}
    assert _style_problems(project) == []

    old = os.getcwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, ["--apply", "--unsafe-fixes", "--no-cache", "."], catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output

    changed = sorted(p.relative_to(project).as_posix() for p, text in before.items() if p.read_text() != text)
    assert changed == ["shop/models.py", "shop/services.py", "shop/views.py"]
    assert _style_problems(project) == []
    models = (project / "shop" / "models.py").read_text()
    assert "from django.db import models, transaction\n" in models  # merged, not a second statement
    assert "transaction.on_commit(rebuild_index.delay)\n" in models  # no partial without arguments


def _write(root: Path, name: str, text: str) -> None:
    (root / name).write_text(textwrap.dedent(text), encoding="utf-8")


def test_default_style_without_configuration(tmp_path):
    assert read_project_style(tmp_path) == CodeStyle()


def test_ruff_settings_win_over_black_and_flake8(tmp_path):
    _write(tmp_path, "pyproject.toml", """\
        [tool.ruff]
        line-length = 100
        [tool.ruff.lint.isort]
        known-first-party = ["acme"]
        force-single-line = true
        [tool.black]
        line-length = 79
        """)
    _write(tmp_path, "setup.cfg", "[flake8]\nmax-line-length = 120\n")
    (tmp_path / "proj").mkdir()
    (tmp_path / "manage.py").write_text("")
    style = read_project_style(tmp_path)
    assert style.line_length == 100
    assert style.force_single_line
    assert {"acme", "proj", "manage"} <= style.first_party  # configured, and found in the source root


def test_black_then_flake8_line_length(tmp_path):
    _write(tmp_path, "pyproject.toml", "[tool.black]\nline-length = 79\n")
    assert read_project_style(tmp_path).line_length == 79
    _write(tmp_path, "pyproject.toml", "[project]\nname = 'x'\n")
    _write(tmp_path, ".flake8", "[flake8]\nmax-line-length = 119\n")
    assert read_project_style(tmp_path).line_length == 119


def test_ruff_toml_src_and_isort_ini(tmp_path):
    _write(tmp_path, "ruff.toml", 'line-length = 99\nsrc = ["src"]\n[lint.isort]\nknown-third-party = ["proj"]\n')
    _write(tmp_path, "setup.cfg", "[isort]\nknown_first_party = billing,\n    ledger\n")
    (tmp_path / "src" / "proj").mkdir(parents=True)
    (tmp_path / "src" / "docs").mkdir()
    (tmp_path / "toplevel").mkdir()  # not in ruff's src: not first party
    style = read_project_style(tmp_path)
    assert style.line_length == 99
    assert style.first_party == {"billing", "ledger", "docs"}  # known-third-party wins for proj
    assert style.section_of("proj.tasks") == THIRD_PARTY


def test_unreadable_configuration_counts_as_absent(tmp_path):
    _write(tmp_path, "pyproject.toml", "[tool.ruff\nline-length = ")
    _write(tmp_path, "setup.cfg", "[flake8\n")
    assert read_project_style(tmp_path).line_length == 88


def test_sections():
    style = CodeStyle(first_party=frozenset({"shop"}))
    assert style.section_of("functools") == STDLIB
    assert style.section_of("django.db") == THIRD_PARTY
    assert style.section_of("shop.tasks") == FIRST_PARTY
    assert style.section_of("tasks", level=1) == LOCAL
