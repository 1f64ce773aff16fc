"""Reads the project's style (line length, first-party modules, single-line imports) from its
ruff, black, isort and flake8 configuration, so fixes come out as its formatter and sorter want.

Precedence as the tools themselves: ruff's own settings (ruff.toml / .ruff.toml / [tool.ruff]),
then black's line length, then flake8's max-line-length; 88 by default. Unreadable files count as
absent: the style only shapes a fix, it is not worth failing a run over.
"""

from __future__ import annotations

import configparser
import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

from celery_fix.engine.style import CodeStyle


def read_project_style(root: Path) -> CodeStyle:
    root = Path(root)
    # another tool's configuration is not ours to judge: whatever is not a table reads as absent
    pyproject = _table(_toml(root / "pyproject.toml").get("tool"))
    ruff = _ruff_section(root, pyproject)
    ruff_isort = _table(_get(ruff, "lint", "isort") or _get(ruff, "isort"))
    isort = _table(pyproject.get("isort")) or _ini(root, ("setup.cfg", ".isort.cfg", "tox.ini"), ("isort", "tool:isort"))
    black = _table(pyproject.get("black"))
    flake8 = _ini(root, (".flake8", "setup.cfg", "tox.ini"), ("flake8",))

    line_length = _first_int(
        ruff.get("line-length"), black.get("line-length"), black.get("line_length"),
        flake8.get("max-line-length"), flake8.get("max_line_length"),
    ) or 88
    known_first = _names(ruff_isort.get("known-first-party")) | _names(isort.get("known_first_party"))
    known_third = _names(ruff_isort.get("known-third-party")) | _names(isort.get("known_third_party"))
    sources = ruff.get("src") if isinstance(ruff.get("src"), list) else [".", "src"]
    single = ruff_isort.get("force-single-line", _flag(isort.get("force_single_line")))
    return CodeStyle(
        line_length=line_length,
        first_party=frozenset(known_first | _modules_in(root, sources)) - known_third,
        third_party=frozenset(known_third),
        force_single_line=bool(single),
    )


def _table(value) -> dict:
    return value if isinstance(value, dict) else {}


def _ruff_section(root: Path, pyproject: dict) -> dict:
    for name in (".ruff.toml", "ruff.toml"):
        data = _toml(root / name)
        if data:
            return data
    section = pyproject.get("ruff", {})
    return section if isinstance(section, dict) else {}


def _modules_in(root: Path, sources: list) -> set[str]:
    """What ruff and isort take as first party by default: packages and modules in the source roots."""
    found: set[str] = set()
    for source in sources:
        if not isinstance(source, str):
            continue
        directory = root / source
        try:
            entries = list(directory.iterdir())
        except OSError:
            continue
        for entry in entries:
            name = entry.name[:-3] if entry.name.endswith(".py") else entry.name
            if name.isidentifier() and (entry.is_dir() or entry.name.endswith(".py")):
                found.add(name)
    return found


def _toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}


def _ini(root: Path, names: tuple[str, ...], sections: tuple[str, ...]) -> dict[str, str]:
    for name in names:
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read(root / name, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError):
            continue
        for section in sections:
            if parser.has_section(section):
                return dict(parser.items(section))
    return {}


def _get(data: dict, *keys: str) -> Any:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _first_int(*values: Any) -> int | None:
    for value in values:
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if number > 0:
            return number
    return None


def _names(value: Any) -> set[str]:
    if isinstance(value, str):  # isort's ini form: "a,b" or one per line
        value = value.replace("\n", ",").split(",")
    if not isinstance(value, list):
        return set()
    return {v.strip() for v in value if isinstance(v, str) and v.strip()}


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)
