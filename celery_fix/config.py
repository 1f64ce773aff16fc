"""The nearest configuration (`.celery-fix.toml`, `celery-fix.toml`, or `[tool.celery-fix]` in a
pyproject.toml), merged with the command line into a Config."""

from __future__ import annotations

import difflib
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

from celery_fix.engine.registry import SelectionError, all_rule_infos, validate_selectors
from celery_fix.gitignore import work_tree

DEFAULT_EXCLUDES = (
    ".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", ".eggs", "__pycache__", "node_modules",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", ".celery-fix-cache", "build", "dist", "site-packages",
)

_GENERAL_KEYS = {
    "select", "ignore", "extend-select", "per-file-ignores", "exclude", "extend-exclude",
    "include-migrations", "unsafe-fixes", "respect-gitignore", "format", "src", "celery-apps",
}


class ConfigError(ValueError):
    """A user mistake in the configuration or the command line: reported in one line, exit 2."""


@dataclass(frozen=True)
class Config:
    root: Path = Path(".")
    source: Path | None = None  # the configuration file read, if any
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = ()
    include_migrations: bool = False
    respect_gitignore: bool = True
    unsafe_fixes: bool = False
    rule_options: dict[str, Any] = field(default_factory=dict)
    output_format: str | None = None
    src: tuple[str, ...] = ()  # source roots (read by constructs/modules.py from the file itself)
    celery_apps: tuple[str, ...] = ()  # qualnames of Celery apps no rule can see being created

    def options_for(self, rule_cls) -> dict[str, Any]:
        return {key: self.rule_options[key] for key in rule_cls.OPTIONS if key in self.rule_options}


# in one directory, as ruff: `.celery-fix.toml` > `celery-fix.toml` > `pyproject.toml` with the table
STANDALONE_NAMES = (".celery-fix.toml", "celery-fix.toml")
CONFIG_NAMES = (*STANDALONE_NAMES, "pyproject.toml")
PROJECT_MARKERS = (*CONFIG_NAMES, "setup.cfg", "manage.py")


def start_dir(path: Path) -> Path:
    path = path.resolve()
    return path if path.is_dir() else path.parent


def root_of(path: Path) -> Path | None:
    """The project root of one path: the nearest directory above it with a `pyproject.toml`,
    `setup.cfg`, `manage.py` or a celery-fix.toml, else the git root; None when there is none.
    Without a configuration file it is also the config root, and so where the cache goes."""
    start = start_dir(path)
    for directory in (start, *start.parents):
        if any((directory / marker).is_file() for marker in PROJECT_MARKERS):
            return directory
    tree = work_tree(str(start))
    return Path(tree) if tree is not None else None


def find_config(start: Path) -> Path | None:
    """The nearest configuration file: a standalone one, or a pyproject.toml that has
    [tool.celery-fix] (one without the table is passed over, as ruff passes over one without [tool.ruff])."""
    start = start.resolve()
    directory = start if start.is_dir() else start.parent
    for candidate in (directory, *directory.parents):
        for name in STANDALONE_NAMES:
            if (candidate / name).is_file():
                return candidate / name
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and _has_our_table(pyproject):
            return pyproject
    return None


def _has_our_table(pyproject: Path) -> bool:
    # an unreadable pyproject.toml counts as having the table: reading it then reports the problem
    try:
        tool = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return True
    return isinstance(tool, dict) and "celery-fix" in tool


def load_config(paths: list[Path], explicit: Path | None = None) -> Config:
    start = paths[0] if paths else Path(".")
    path = explicit or find_config(start)
    if path is None:
        # no settings of ours: the project's root, else the named path's directory (never the
        # working directory as such: the cache of `celery-fix /abs/proj` goes into the project)
        return Config(root=root_of(start) or start_dir(start))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML in {path}: {exc}") from None
    if path.name != "pyproject.toml":  # celery-fix.toml, .celery-fix.toml or any --config FILE
        if isinstance(data.get("tool"), dict) and "celery-fix" in data["tool"]:
            raise ConfigError(f"{path}: keys go at the top level here, without [tool.celery-fix]")
        return _parse_section(data, path, "")
    tool = data.get("tool", {})
    section = tool.get("celery-fix", {}) if isinstance(tool, dict) else {}  # `tool = 3`: not ours to judge
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [tool.celery-fix] must be a table")
    return _parse_section(section, path, " in [tool.celery-fix]")


def _parse_section(section: dict[str, Any], pyproject: Path, where: str) -> Config:
    option_keys = {key: rule for rule in all_rule_infos() for key in rule.OPTIONS}
    unknown = [key for key in section if key not in _GENERAL_KEYS and key not in option_keys]
    if unknown:
        known = [*_GENERAL_KEYS, *option_keys]
        hints = [f"{key} (did you mean {close[0]}?)" if (close := difflib.get_close_matches(key, known, n=1)) else key
                 for key in sorted(unknown)]
        raise ConfigError(f"{pyproject}: unknown key{where}: {', '.join(hints)}")

    def codes(key: str) -> tuple[str, ...]:
        value = section.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{pyproject}: {key} must be a list of rule codes")
        try:
            validate_selectors(value)
        except SelectionError as exc:
            raise ConfigError(f"{pyproject}: {key}: {exc}") from None
        return tuple(value)

    def strings(key: str) -> tuple[str, ...]:
        value = section.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{pyproject}: {key} must be a list of strings")
        return tuple(value)

    def flag(key: str, default: bool) -> bool:
        value = section.get(key, default)
        if not isinstance(value, bool):
            raise ConfigError(f"{pyproject}: {key} must be true or false")
        return value

    per_file = section.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise ConfigError(f"{pyproject}: per-file-ignores must be a table of glob = [codes]")
    per_file_ignores = []
    for pattern, value in per_file.items():
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{pyproject}: per-file-ignores.{pattern} must be a list of rule codes")
        try:
            validate_selectors(value)
        except SelectionError as exc:
            raise ConfigError(f"{pyproject}: per-file-ignores: {exc}") from None
        per_file_ignores.append((pattern, tuple(value)))

    rule_options = {}
    for key, rule in option_keys.items():
        if key in section:
            default = rule.OPTIONS[key]
            value = section[key]
            if type(value) is not type(default) and not (isinstance(default, float) and isinstance(value, int)):
                raise ConfigError(f"{pyproject}: {key} must be {type(default).__name__}, got {value!r}")
            problem = _option_value_problem(key, value)
            if problem:
                raise ConfigError(f"{pyproject}: {key} must be {problem}, got {value!r}")
            rule_options[key] = value

    select = codes("select") if "select" in section else None
    if "extend-select" in section:
        select = _extend_select(select, codes("extend-select"))
    return Config(
        root=pyproject.parent.resolve(),
        source=pyproject,
        select=select,
        ignore=codes("ignore"),
        per_file_ignores=tuple(per_file_ignores),
        exclude=strings("exclude") + strings("extend-exclude"),
        include_migrations=flag("include-migrations", False),
        respect_gitignore=flag("respect-gitignore", True),
        unsafe_fixes=flag("unsafe-fixes", False),
        rule_options=rule_options,
        output_format=section.get("format"),
        src=strings("src"),
        celery_apps=strings("celery-apps"),
    )


# the values the rules accept for their enumerated options (tests/test_config_and_files.py checks
# them against the rules' own tables; listed here so that reading the config imports no rule)
CHOICES = {
    "on-commit-style": ("partial", "lambda", "delay_on_commit"),
    "result-backend": ("auto", "configured", "none"),
    "beat-scheduler": ("auto", "database", "default", "persistent"),
    "broker-transport": ("auto", "redis", "sqs"),
}
ZERO_MEANS_OFF = frozenset({"soft-time-limit", "time-limit"})  # CEL301's fix leaves a 0 limit out


def _option_value_problem(key: str, value: Any) -> str | None:
    """What is wrong with a rule option's value of the right type: numbers are counts and
    seconds (positive, finite), lists hold names (strings), enumerated options one of theirs."""
    if key in CHOICES and value not in CHOICES[key]:
        close = difflib.get_close_matches(str(value), CHOICES[key], n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return "one of " + ", ".join(repr(c) for c in CHOICES[key]) + hint
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        lowest_ok = 0 if key in ZERO_MEANS_OFF else None
        if not math.isfinite(value) or value < 0 or (value == 0 and lowest_ok is None):
            return "a positive number" + (" or 0" if lowest_ok is not None else "")
    if isinstance(value, list) and not all(isinstance(v, str) for v in value):
        return "a list of strings"
    return None


def _extend_select(select, extra: tuple[str, ...]) -> tuple[str, ...]:
    base = [r.CODE for r in all_rule_infos() if r.ENABLED_BY_DEFAULT] if select is None else list(select)
    return (*base, *extra)
