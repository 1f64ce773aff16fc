"""One celery-fix run: configuration, discovery, the engine, output, writing fixes, exit code."""

from __future__ import annotations

import inspect
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import click

from celery_fix.engine.cache import ResultCache, settings_fingerprint
from celery_fix.config import Config, ConfigError, load_config
from celery_fix.engine.model import EngineSettings, FileResult
from celery_fix.engine.runner import run_files
from celery_fix.engine.cache_key import index_digest
from celery_fix.engine.files import FileError, SourceReader, write_atomic
from celery_fix.discover import discover
from celery_fix.engine.registry import SelectionError, all_rule_classes, parse_codes, rule_by_code, select_rule_infos
from celery_fix.report import diff as diff_report
from celery_fix.report import json_format, text
from celery_fix.engine.wordscan import ScanCache, WordScan

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@dataclass
class RunOptions:
    paths: tuple[Path, ...] = ()
    apply_fixes: bool = False
    unsafe_fixes: bool | None = None
    select: str | None = None
    ignore: str | None = None
    show_diff: bool = True
    output_format: str = "text"
    exit_zero: bool = False
    quiet: bool = False
    config_file: Path | None = None
    no_cache: bool = False
    jobs: int | None = None
    list_rules: bool = False
    explain: str | None = None
    list_tasks: bool = False


def error(message: str) -> None:
    click.echo(f"celery-fix: error: {message}", err=True)


def warning(message: str) -> None:
    click.echo(f"celery-fix: warning: {message}", err=True)


def execute(options: RunOptions) -> int:
    if options.list_rules:
        click.echo(rules_table())
        return EXIT_CLEAN
    if options.explain:
        return explain(options.explain)
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

    discovery = discover(paths, config)
    for message in discovery.errors:
        error(message)
    if options.list_tasks:
        from celery_fix.inventory import print_inventory

        return print_inventory(discovery.files, config, options.output_format) or (EXIT_ERROR if discovery.errors else 0)

    scan = _word_scan(rules, config)
    scan_cache = None if options.no_cache else ScanCache(ResultCache(config.root, "word scan"), scan)
    read = SourceReader(scan, scan_cache)
    index = _build_index(discovery.files, config, options, read)
    settings = EngineSettings(
        codes=tuple(r.CODE for r in rules),
        rule_options=dict(config.rule_options),
        unsafe_fixes=config.unsafe_fixes,
        per_file_ignores=config.per_file_ignores,
        root=str(config.root),
        index=index,
        index_digest=_digest_of(index),
        project_apps=frozenset(index.apps) if index is not None else frozenset(),
    )
    cache = None if options.no_cache else ResultCache(config.root, settings_fingerprint(settings))
    results = run_files([str(p) for p in discovery.files], settings, options.jobs, cache, read)
    if scan_cache is not None:
        scan_cache.save()
    _warn_not_indexed(index, results)
    return _report(results, discovery.errors + _index_only_errors(index, results), options, config)


def _word_scan(rules, config: Config) -> WordScan:
    """One scan per file for the words both prefilters look for: the index's and the rules'."""
    from celery_fix.index.build import ATOMIC_WORDS, PREFILTER_WORDS

    atomic_functions = [a.rsplit(".", 1)[-1].encode() for a in config.rule_options.get("atomic-functions", ())]
    return WordScan({*PREFILTER_WORDS, *ATOMIC_WORDS, *atomic_functions, *(w for r in rules for w in r.TRIGGERS)})


def _build_index(files: list[Path], config: Config, options: RunOptions, read):
    """The cross-file facts, built once before the rules run; the rules get it as context.index."""
    from celery_fix.index.build import build_index

    atomic_functions = tuple(config.rule_options.get("atomic-functions", ()))
    cache = None if options.no_cache else ResultCache(config.root, f"index-facts {atomic_functions!r}")
    index = build_index(
        files, config.root, atomic_functions=atomic_functions, jobs=options.jobs, cache=cache, read=read,
        while_waiting=_load_rules, celery_apps=config.celery_apps, src=config.src,
    )
    root = config.root.resolve()
    index.complete = any(root == p.resolve() or p.resolve() in root.parents for p in (options.paths or (Path("."),)))
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
    reported = {r.path for r in results if r.error}
    for message in index.warnings:
        if not any(message.startswith(f"{path}:") for path in reported):
            warning(message)
    for message in index.notes:
        warning(message)


def _index_only_errors(index, results: list[FileResult]) -> list[str]:
    """Files the index could not read or parse and the engine did not already report."""
    if index is None:
        return []
    reported = {r.path for r in results if r.error}
    return [e for e in index.errors if not any(e.startswith(f"{path}:") for path in reported)]


def _apply_command_line(config: Config, options: RunOptions) -> Config:
    changes = {}
    if options.select is not None:
        changes["select"] = tuple(parse_codes(options.select))
    if options.ignore is not None:
        changes["ignore"] = (*config.ignore, *parse_codes(options.ignore))
    if options.unsafe_fixes is not None:
        changes["unsafe_fixes"] = options.unsafe_fixes
    return replace(config, **changes)


def _report(results: list[FileResult], discovery_errors: list[str], options: RunOptions, config: Config) -> int:
    errors = list(discovery_errors)
    findings = []
    for result in results:
        if result.error:
            errors.append(result.error)
        findings.extend(result.findings)

    if options.apply_fixes:
        remaining, fixed_count, changed = [], 0, 0
        for result in results:
            if result.fixed is None:
                remaining.extend(result.findings)
                continue
            try:
                write_atomic(Path(result.path), result.fixed, result.original)
            except FileError as exc:
                errors.append(str(exc))
                remaining.extend(result.findings)
                continue
            changed += 1
            fixed_count += len(result.findings) - len(result.remaining)
            remaining.extend(result.remaining)
        _print_findings(remaining, errors, options, config)
        if not options.quiet and options.output_format == "text":
            click.echo(text.apply_summary(len(results), fixed_count, changed, len(remaining), len(errors)))
        pending = bool(remaining)
    else:
        _print_findings(findings, errors, options, config)
        if options.output_format == "text" and options.show_diff and not options.quiet:
            for result in results:
                if result.fixed is not None:
                    click.echo(diff_report.unified_diff(result.path, result.original, result.fixed, result.encoding), nl=False)
        if not options.quiet and options.output_format == "text":
            click.echo(text.dry_run_summary(len(results), findings, config.unsafe_fixes, len(errors)))
        pending = bool(findings) or any(r.fixed is not None for r in results)

    for message in errors:
        error(message)
    if errors:
        return EXIT_ERROR
    if pending and not options.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _print_findings(findings, errors, options: RunOptions, config: Config) -> None:
    if options.output_format == "json":
        click.echo(json_format.findings_json(findings, errors))
        return
    for finding in findings:
        click.echo(text.finding_line(finding, config.unsafe_fixes))


def rules_table() -> str:
    rows = [("code", "name", "fix", "default")]
    for rule_cls in all_rule_classes():
        rows.append((rule_cls.CODE, rule_cls.NAME, fix_kind(rule_cls), "on" if rule_cls.ENABLED_BY_DEFAULT else "off"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows)


def fix_kind(rule_cls) -> str:
    return getattr(rule_cls, "FIX_KIND", None) or ("safe" if rule_cls.FIX_TITLE else "lint")


def explain(code: str) -> int:
    rule_cls = rule_by_code(code)
    if rule_cls is None:
        error(f"unknown rule code: {code}")
        return EXIT_ERROR
    click.echo(f"# {rule_cls.CODE} {rule_cls.NAME}\n")
    click.echo(f"Fix: {fix_kind(rule_cls)}. Enabled by default: {'yes' if rule_cls.ENABLED_BY_DEFAULT else 'no'}.\n")
    click.echo(inspect.cleandoc(rule_cls.__doc__ or ""))
    return EXIT_CLEAN


if __name__ == "__main__":  # pragma: no cover
    sys.exit("use the celery-fix command")
