"""`--show-settings` and `--show-files`: what a run would use and read, without running the rules.

The settings are printed as TOML (every value is one `tomllib` reads back), comments saying where
they come from, so they can be diffed, grepped or parsed.
"""

from __future__ import annotations

import json
from pathlib import Path

from celery_fix.config import Config
from celery_fix.constructs.modules import source_roots
from celery_fix.engine.cache import CACHE_DIR_VARIABLE, cache_top
from celery_fix.engine.registry import all_rule_infos
from celery_fix.project import index_files, project_root
from celery_fix.project_style import read_project_style


def files_listing(files: list[Path]) -> str:
    return "".join(f"{path}\n" for path in files)


def settings_listing(target: Path, paths: list[Path], files: list[Path], config: Config, rules, output_format: str) -> str:
    """The resolved configuration for `target` (command-line flags applied)."""
    project_files, complete = index_files(files, paths, config)
    root = project_root(paths)
    style = read_project_style(config.root)
    defaults = {key: value for info in all_rule_infos() for key, value in info.OPTIONS.items()}
    lines = [
        f"# celery-fix settings for {target}",
        f"config-file = {_toml(str(config.source))}" if config.source else "# config-file: none found, the defaults apply",
        f"config-root = {_toml(str(config.root))}  # exclude and per-file-ignores patterns are relative to it",
        f"project-root = {_toml(str(root))}  # indexed whole, whatever paths are named"
        if root is not None and complete else "# project-root: none, only the named files are indexed",
        f"cache-dir = {_toml(str(cache_top(config.root)))}  # the config root's, or {CACHE_DIR_VARIABLE}",
        f"source-roots = {_toml(list(source_roots(config.root, project_files, config.src)))}",
        f"indexed-files = {len(project_files)}",
        f"checked-files = {len(files)}",
        f"rules = {_toml([info.CODE for info in rules])}  # the rules that run, after select and ignore",
        f"select = {_toml(list(config.select))}" if config.select is not None else "# select: not set, every rule on by default",
        f"ignore = {_toml(list(config.ignore))}",
        f"exclude = {_toml(list(config.exclude))}",
        f"include-migrations = {_toml(config.include_migrations)}",
        f"respect-gitignore = {_toml(config.respect_gitignore)}",
        f"unsafe-fixes = {_toml(config.unsafe_fixes)}",
        f"format = {_toml(output_format)}",
        f"src = {_toml(list(config.src))}",
        f"celery-apps = {_toml(list(config.celery_apps))}",
        "",
        "[per-file-ignores]",
        *(f"{_toml(pattern)} = {_toml(list(codes))}" for pattern, codes in config.per_file_ignores),
        "",
        "[rule-options]  # every rule's options, configured or default",
        *(
            f"{key} = {_toml(config.rule_options.get(key, default))}"
            + ("" if key in config.rule_options else "  # default")
            for key, default in sorted(defaults.items())
        ),
        "",
        "[style]  # what fixed code follows: the project's ruff, black, isort or flake8 settings",
        f"line-length = {style.line_length}",
        f"known-first-party = {_toml(sorted(style.first_party))}",
        f"known-third-party = {_toml(sorted(style.third_party))}",
        f"force-single-line = {_toml(style.force_single_line)}",
    ]
    return "\n".join(lines) + "\n"


def _toml(value) -> str:
    """A TOML value: strings, booleans, numbers and lists of them are written alike in JSON."""
    return json.dumps(value, ensure_ascii=False)
