"""One celery-fix run: configuration, discovery, the engine, output, writing fixes, exit code."""

from __future__ import annotations

import inspect
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import click

from celery_fix.config import Config, ConfigError, load_config
from celery_fix.discover import discover, excluded_file
from celery_fix.engine import profile
from celery_fix.engine.cache import ResultCache, settings_fingerprint
from celery_fix.engine.cache_key import index_digest
from celery_fix.engine.files import NUL, SourceReader, same_file_once
from celery_fix.engine.model import EngineSettings, FileResult
from celery_fix.engine.jobs import worker_count
from celery_fix.engine.registry import (
    SelectionError,
    all_rule_classes,
    parse_codes,
    rule_by_code,
    select_rule_infos,
)
from celery_fix.engine.runner import run_files
from celery_fix.engine.wordscan import ScanCache, WordScan
from celery_fix.project_style import read_project_style
from celery_fix.project import index_files

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@dataclass
class RunOptions:
    paths: tuple[Path, ...] = ()
    apply_fixes: bool = False
    unsafe_fixes: bool | None = None
    select: str | None = None
    ignore: str | None = None
    show_diff: bool = True
    output_format: str | None = None
    exit_zero: bool = False
    quiet: bool = False
    config_file: Path | None = None
    no_cache: bool = False
    jobs: int | None = None
    list_rules: bool = False
    explain: str | None = None
    list_tasks: bool = False
    force_exclude: bool = False
    show_source: bool = False
    color: str = "auto"
    statistics: bool = False
    show_fixes: bool = False
    exit_non_zero_on_fix: bool = False
    extend_select: str | None = None
    extend_ignore: str | None = None


def error(message: str) -> None:
    click.echo(f"celery-fix: error: {message}", err=True)


def warning(message: str) -> None:
    click.echo(f"celery-fix: warning: {message}", err=True)


def execute(options: RunOptions) -> int:
    if options.list_rules:
        click.echo(rules_table())
        return EXIT_CLEAN
    if options.explain is not None:
        return explain(options.explain)
    profile.start()
    paths = list(options.paths) or [Path(".")]
    try:
        config = load_config(paths, options.config_file)
        config = _apply_command_line(config, options)
        rules = select_rule_infos(list(config.select) if config.select is not None else None, list(config.ignore))
    except (ConfigError, SelectionError) as exc:
        error(str(exc))
        return EXIT_ERROR
    if options.config_file is not None and not options.config_file.is_file():
        error(f"{options.config_file}: no such file")
        return EXIT_ERROR

    options = replace(options, output_format=options.output_format or config.output_format or "text")
    discovery = discover(paths, config)
    profile.lap("discover")
    if options.force_exclude:
        discovery = replace(discovery, files=[f for f in discovery.files if not excluded_file(f, config)])
    discovery.files[:] = same_file_once(discovery.files)  # a symlink to a file of the tree: checked once
    if options.list_tasks:
        from celery_fix.inventory import print_inventory

        return print_inventory(discovery.files, config, options.output_format, discovery.errors)
    if options.jobs is not None:
        options = replace(options, jobs=worker_count(options.jobs))  # `-j 10**20`: the CPU count

    scan = _word_scan(rules, config)
    scan_cache = None if options.no_cache else ScanCache(ResultCache(config.root, "word scan"), scan)
    read = SourceReader(scan, scan_cache)
    index = _build_index(discovery.files, paths, config, options, read)
    profile.lap("index: the rest")
    settings = EngineSettings(
        codes=tuple(r.CODE for r in rules),
        rule_options=dict(config.rule_options),
        unsafe_fixes=config.unsafe_fixes,
        per_file_ignores=config.per_file_ignores,
        root=str(config.root),
        index=index,
        index_digest=_digest_of(index),
        project_apps=frozenset(index.apps) if index is not None else frozenset(),
        style=read_project_style(config.root),
    )
    cache = None if options.no_cache else ResultCache(config.root, settings_fingerprint(settings))
    results = run_files([str(p) for p in discovery.files], settings, options.jobs, cache, read)
    profile.lap("rules")
    if scan_cache is not None:
        scan_cache.save()
    _warn_not_indexed(index, results)
    code = _report(results, discovery.errors + _index_only_errors(index, results), options, config, index, rules)
    profile.lap("output")
    profile.write()
    return code


def _word_scan(rules, config: Config) -> WordScan:
    """One scan per file for the words both prefilters look for: the index's and the rules'."""
    from celery_fix.index.build import ATOMIC_WORDS, PREFILTER_WORDS

    atomic_functions = [a.rsplit(".", 1)[-1].encode() for a in config.rule_options.get("atomic-functions", ())]
    # and NUL: a file Python refuses is reported even when no rule's word is in it (files.refuse_unsupported)
    return WordScan({*PREFILTER_WORDS, *ATOMIC_WORDS, *atomic_functions, NUL, *(w for r in rules for w in r.TRIGGERS)})


def _build_index(files: list[Path], paths: list[Path], config: Config, options: RunOptions, read):
    """The cross-file facts, built once before the rules run; the rules get it as context.index.
    Built from the whole project around `paths` (celery_fix/project.py), whichever files are checked."""
    from celery_fix.index.build import build_index

    project_files, complete = index_files(files, paths, config)
    atomic_functions = tuple(config.rule_options.get("atomic-functions", ()))
    cache = None if options.no_cache else ResultCache(config.root, f"index-facts {atomic_functions!r}")
    index = build_index(
        project_files, config.root, atomic_functions=atomic_functions, jobs=options.jobs, cache=cache, read=read,
        while_waiting=_load_rules, celery_apps=config.celery_apps, src=config.src,
    )
    index.complete = complete
    return index


def _load_rules() -> None:
    """Import the rules (libcst, Fixit: half a second) while the index's workers parse: a run that
    must collect facts will almost surely parse files with the rules too."""
    from celery_fix.engine.registry import all_rule_classes

    all_rule_classes()


def _digest_of(index) -> str:
    if index is None:
        return ""
    # `complete` changes what some rules may say, so it is part of what results depend on
    return f"{index.digest or index_digest(index)}-{'complete' if index.complete else 'partial'}"


def _warn_not_indexed(index, results: list[FileResult]) -> None:
    """Files the index's `ast` could not parse; a broken one is reported as an error by the rules' parser instead."""
    if index is None:
        return
    checked = {r.path for r in results}
    reported = {r.path for r in results if r.error}
    for message in index.warnings:
        path = message.split(": not indexed", 1)[0]
        if path in checked and path not in reported:
            warning(message)
    for message in index.notes:
        warning(message)


def _index_only_errors(index, results: list[FileResult]) -> list[str]:
    """Checked files the index could not read or parse and the engine did not already report
    (other files of the project are indexed, not checked: their errors are not this run's)."""
    if index is None:
        return []
    reported = {r.path for r in results if r.error}
    checked = {r.path for r in results} - reported
    return [_python_words(e, path) for e in index.errors for path in checked if e.startswith(f"{path}:")]


def _python_words(message: str, path: str) -> str:
    """A syntax error the index found, with the line, column and words of Python's own parser."""
    if ": syntax error: " not in message:
        return message
    from celery_fix.engine.syntax_error import python_syntax_error

    try:
        return python_syntax_error(path, Path(path).read_bytes()) or message
    except OSError:
        return message


def _apply_command_line(config: Config, options: RunOptions) -> Config:
    changes = {}
    if options.select is not None:
        changes["select"] = tuple(parse_codes(options.select))
        if not changes["select"]:
            raise ConfigError("--select needs at least one rule code or prefix (ALL for every rule)")
    if options.ignore is not None:
        changes["ignore"] = (*config.ignore, *parse_codes(options.ignore))
    if options.extend_select is not None:
        from celery_fix.config import _extend_select

        changes["select"] = _extend_select(changes.get("select", config.select), tuple(parse_codes(options.extend_select)))
    if options.extend_ignore is not None:
        changes["ignore"] = (*changes.get("ignore", config.ignore), *parse_codes(options.extend_ignore))
    if options.unsafe_fixes is not None:
        changes["unsafe_fixes"] = options.unsafe_fixes
    return replace(config, **changes)


def _report(results: list[FileResult], discovery_errors: list[str], options: RunOptions, config: Config,
            index=None, rules=()) -> int:
    from celery_fix.output import report_run

    return report_run(results, discovery_errors, options, config, index, rules)


def rules_table() -> str:
    rows = [("code", "name", "fix", "default")]
    for rule_cls in all_rule_classes():
        rows.append((rule_cls.CODE, rule_cls.NAME, fix_kind(rule_cls), "on" if rule_cls.ENABLED_BY_DEFAULT else "off"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows)


def fix_kind(rule_cls) -> str:
    return getattr(rule_cls, "FIX_KIND", None) or ("safe" if rule_cls.FIX_TITLE else "lint")


def explain(code: str) -> int:
    rule_cls = rule_by_code(code) if code.strip() else None
    if rule_cls is None:
        error(f"unknown rule code: {code}")
        return EXIT_ERROR
    click.echo(f"# {rule_cls.CODE} {rule_cls.NAME}\n")
    click.echo(f"Fix: {fix_kind(rule_cls)}. Enabled by default: {'yes' if rule_cls.ENABLED_BY_DEFAULT else 'no'}.\n")
    click.echo(inspect.cleandoc(rule_cls.__doc__ or ""))
    return EXIT_CLEAN


if __name__ == "__main__":  # pragma: no cover
    sys.exit("use the celery-fix command")
