"""One celery-fix run: configuration, discovery, the engine, output, writing fixes, exit code."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import click

from celery_fix import stdin
from celery_fix.config import Config, ConfigError, load_config
from celery_fix.discover import discover, without_excluded
from celery_fix.engine import profile
from celery_fix.engine.cache import ResultCache, settings_fingerprint, version_directory
from celery_fix.engine.cache_key import index_digest
from celery_fix.engine.files import NUL, SourceReader, same_file_once
from celery_fix.engine.gcpause import quiet_collector
from celery_fix.engine.jobs import worker_count
from celery_fix.engine.model import EngineSettings, FileResult
from celery_fix.engine.registry import (
    SelectionError,
    all_rule_classes,
    close_code_hint,
    fix_kind,
    parse_codes,
    rule_by_code,
    select_rule_infos,
)
from celery_fix.engine.runner import run_files
from celery_fix.engine.wordscan import ScanCache, WordScan
from celery_fix.project import index_files
from celery_fix.project_style import read_project_style

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
    stdin_filename: Path | None = None
    show_settings: bool = False
    show_files: bool = False
    add_noqa: bool = False
    changed_since: str | None = None
    stdin_source: bytes | None = None  # the module read from standard input (`-`), once read


def error(message: str) -> None:
    click.echo(f"celery-fix: error: {message}", err=True)


def warning(message: str) -> None:
    click.echo(f"celery-fix: warning: {message}", err=True)


def execute(options: RunOptions) -> int:
    with quiet_collector():  # engine/gcpause.py: a cold saleor run spent 0.15 s collecting here
        return _execute(options)


def _execute(options: RunOptions) -> int:
    if options.list_rules:
        click.echo(rules_table())
        return EXIT_CLEAN
    if options.explain is not None:
        return explain(options.explain)
    profile.start()
    paths = list(options.paths) or [Path(".")]
    if options.add_noqa and (options.apply_fixes or stdin.wants_stdin(options.paths, options.stdin_filename)):
        error("--add-noqa cannot be combined with --apply or standard input")
        return EXIT_ERROR
    if stdin.wants_stdin(options.paths, options.stdin_filename):
        if len(options.paths) > 1:
            error("`-` (standard input) cannot be combined with other paths")
            return EXIT_ERROR
        paths = [options.stdin_filename or Path(stdin.DEFAULT_NAME)]
        if options.stdin_source is None:
            options = replace(options, stdin_source=stdin.read_stdin())
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
    if options.stdin_source is not None:
        return _run_stdin(paths[0], options, config, rules)
    # (a listing (--show-files, --list-tasks) neither reads nor writes the cache)
    checking = not (options.show_files or options.show_settings or options.list_tasks)
    if checking and len(paths) == 1 and not options.no_cache and paths[0].is_dir():
        from celery_fix.project_files import project_discovery

        discovery = project_discovery(paths[0], config, True)  # the walk's list while no directory changed
    else:
        discovery = discover(paths, config)
    profile.lap("discover")
    if options.force_exclude:
        discovery = replace(discovery, files=without_excluded(discovery.files, config))
    stats: dict[str, os.stat_result] = {}  # taken before any file is read: the run entry's key uses them
    discovery.files[:] = same_file_once(discovery.files, stats)  # a symlink to a file of the tree: checked once
    checked = None
    if options.changed_since is not None:
        from celery_fix.changed import ChangedError, changed_files, only_changed

        try:
            since = changed_files(options.changed_since, paths[0] if paths[0].exists() else config.root)
        except ChangedError as exc:
            error(str(exc))
            return EXIT_ERROR
        checked = only_changed(discovery.files, since)
    if options.show_files or options.show_settings:
        return _show(paths, discovery, checked, options, config, rules)
    if options.list_tasks:
        from celery_fix.inventory import print_inventory

        return print_inventory(discovery.files, config, options.output_format, discovery.errors)
    # `-j 10**20`: the CPU count; no `-j`: the idle CPUs
    options = replace(options, jobs=worker_count(options.jobs))

    return _check(discovery.files, discovery.errors, paths, options, config, rules, checked=checked, stats=stats)


def _show(paths: list[Path], discovery, checked: list[Path] | None, options: RunOptions, config: Config, rules) -> int:
    from celery_fix import show

    for message in discovery.errors:
        error(message)
    if discovery.errors:
        return EXIT_ERROR
    if options.show_settings:
        click.echo(show.settings_listing(paths[0], paths, discovery.files, config, rules, options.output_format), nl=False)
    else:
        click.echo(show.files_listing(discovery.files if checked is None else checked), nl=False)
    return EXIT_CLEAN


def _add_noqa(results: list[FileResult], errors: list[str], options: RunOptions, config: Config) -> int:
    from celery_fix.noqa_writer import add_noqa

    run = add_noqa(results, config.unsafe_fixes)
    for message in run.warnings:
        warning(message)
    if not options.quiet:
        plural = "s" if run.directives != 1 else ""
        click.echo(f"Added {run.directives} noqa directive{plural} to {run.files} file{'s' if run.files != 1 else ''}.", err=True)
    for message in [*errors, *run.errors]:
        error(message)
    return EXIT_ERROR if errors or run.errors else EXIT_CLEAN


def _run_stdin(path: Path, options: RunOptions, config: Config, rules) -> int:
    """The module on standard input, checked as `path` (celery_fix/stdin.py)."""
    source = options.stdin_source
    assert source is not None
    if options.force_exclude and not without_excluded([path], config):
        if options.apply_fixes:
            click.echo(source.decode("utf-8", "surrogateescape"), nl=False)  # left as it is
        return EXIT_CLEAN
    problem = stdin.problem(str(path), source)
    if problem is not None:
        if options.apply_fixes:  # an editor replaces its buffer with what it gets: give it back unchanged
            click.get_binary_stream("stdout").write(source)
        error(problem)
        return EXIT_ERROR
    return _check([path], [], [path], options, config, rules, supplied={str(path): source},
                  whole_project=options.stdin_filename is not None)


def _check(files: list[Path], errors: list[str], paths: list[Path], options: RunOptions, config: Config, rules,
           supplied: dict[str, bytes] | None = None, whole_project: bool = True, checked: list[Path] | None = None,
           stats: dict[str, os.stat_result] | None = None) -> int:
    """Index the project, run the rules on `files` (or on `checked`, some of them), report.
    `supplied`: files read from elsewhere than the disk (standard input); `whole_project` False
    indexes `files` alone; `stats`: files' stats taken since discovery."""
    project, complete = index_files(files, paths, config, not options.no_cache) if whole_project else (list(files), False)
    to_check = files if checked is None else checked
    style = read_project_style(config.root)
    run_store = run_key = hit = None
    # the review format prints the index itself; standard input is not on disk to stat
    if supplied is None and not options.no_cache and options.output_format != "review":
        from celery_fix import run_cache

        run_store = ResultCache(config.root, "run")
        run_key = run_cache.run_key(_run_fingerprint(rules, config, style, complete), project, to_check, stats)
        hit = run_cache.load(run_store, run_key, to_check) if run_key is not None else None
        profile.lap("run entry")
    if hit is not None:
        results, warnings, index_errors = hit
        index = None
    else:
        scan = _word_scan(rules, config)
        scan_cache = None if options.no_cache else ScanCache(ResultCache(config.root, "word scan"), scan)
        digests = None
        if not options.no_cache and supplied is None:
            from celery_fix.engine.stat_digests import StatDigests

            digests = StatDigests(ResultCache(config.root, "stat digests"))
        read = SourceReader(scan, scan_cache, digests)
        for name, source in (supplied or {}).items():
            read.supply(name, source)
        from celery_fix import progress  # a run from the run entry shows no progress

        with progress.shown(options.quiet or supplied is not None, options.output_format):
            index, results = _index_and_check(files, project, complete, options, config, rules, read, style, checked)
        if scan_cache is not None:
            scan_cache.save()
        if digests is not None:
            digests.save()
        warnings, index_errors = _index_warnings(index, results), _index_only_errors(index, results)
        # an --apply run that writes fixes changes the files' signatures: its entry would never hit
        if run_key is not None and not (options.apply_fixes and any(r.fixed is not None for r in results)):
            from celery_fix import run_cache

            run_cache.store(run_store, run_key, results, warnings, index_errors)
    for message in warnings:
        warning(message)
    if options.add_noqa:
        return _add_noqa(results, errors + index_errors, options, config)
    code = _report(results, errors + index_errors, options, config, index, rules)
    profile.lap("output")
    if not options.no_cache:
        from celery_fix.engine.cache_prune import prune_now_and_then

        prune_now_and_then(version_directory(config.root))
    profile.write()
    return code


def _run_fingerprint(rules, config: Config, style, complete: bool) -> str:
    """What a run's results depend on besides the files: the engine settings (less the index, which
    the files and the index's settings decide) and the index's settings."""
    settings = EngineSettings(
        codes=tuple(r.CODE for r in rules), rule_options=dict(config.rule_options), unsafe_fixes=config.unsafe_fixes,
        per_file_ignores=config.per_file_ignores, style=style,
    )
    index_part = (str(config.root), os.path.abspath(config.root), config.celery_apps, config.src, complete)
    return f"{settings_fingerprint(settings)} {index_part!r}"


def _index_and_check(files, project, complete, options: RunOptions, config: Config, rules, read, style, checked):
    index = _build_index(project, complete, config, options, read)
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
        style=style,
    )
    cache = None if options.no_cache else ResultCache(config.root, settings_fingerprint(settings))
    results = run_files([str(p) for p in (files if checked is None else checked)], settings, options.jobs, cache, read)
    profile.lap("rules")
    return index, results


def _word_scan(rules, config: Config) -> WordScan:
    """One scan per file for the words both prefilters look for: the index's and the rules'."""
    from celery_fix.index.build import ATOMIC_WORDS, PREFILTER_WORDS

    atomic_functions = [a.rsplit(".", 1)[-1].encode() for a in config.rule_options.get("atomic-functions", ())]
    # and NUL: a file Python refuses is reported even when no rule's word is in it (files.refuse_unsupported)
    return WordScan({*PREFILTER_WORDS, *ATOMIC_WORDS, *atomic_functions, NUL, *(w for r in rules for w in r.TRIGGERS)})


def _build_index(project_files: list[Path], complete: bool, config: Config, options: RunOptions, read):
    """The cross-file facts, built once before the rules run; the rules get it as context.index.
    Built from the whole project around the run's paths (celery_fix/project.py), whichever files are checked."""
    from celery_fix.index.build import build_index

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


def _index_warnings(index, results: list[FileResult]) -> list[str]:
    """Files the index's `ast` could not parse (a broken one is reported as an error by the rules'
    parser instead), and the index's notes."""
    if index is None:
        return []
    checked = {r.path for r in results}
    reported = {r.path for r in results if r.error}
    warnings = [message for path, message in index.warnings.items() if path in checked and path not in reported]
    return warnings + list(index.notes)


def _index_only_errors(index, results: list[FileResult]) -> list[str]:
    """Checked files the index could not read or parse and the engine did not already report
    (other files of the project are indexed, not checked: their errors are not this run's)."""
    if index is None:
        return []
    reported = {r.path for r in results if r.error}
    checked = {r.path for r in results} - reported
    return [_python_words(message, path) for path, message in index.errors.items() if path in checked]


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
    # plain fixit: what `fixit --rules celery_fix.rules lint` (one file, no ProjectIndex) does with the rule
    rows = [("code", "name", "fix", "default", "plain fixit")]
    for rule_cls in all_rule_classes():
        rows.append((rule_cls.CODE, rule_cls.NAME, fix_kind(rule_cls), "on" if rule_cls.ENABLED_BY_DEFAULT else "off",
                     "no (needs the index)" if rule_cls.NEEDS_INDEX else "one file"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows)


def explain(code: str) -> int:
    rule_cls = rule_by_code(code) if code.strip() else None
    if rule_cls is None:
        error(f"unknown rule code: {code}{close_code_hint(code.strip().upper())}")
        return EXIT_ERROR
    from celery_fix.docs import rule_section

    click.echo("\n".join(rule_section(rule_cls, heading=f"# {rule_cls.CODE} {rule_cls.NAME}", demote=False)).rstrip())
    return EXIT_CLEAN


if __name__ == "__main__":  # pragma: no cover
    sys.exit("use the celery-fix command")
