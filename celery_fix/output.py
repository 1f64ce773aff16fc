"""The end of a run: write the fixes (--apply), print the findings in the chosen format, the
diffs, statistics and summary, the errors (each once), and choose the exit code."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from celery_fix.engine.files import FileError, write_atomic
from celery_fix.engine.model import FileResult
from celery_fix.report import diff as diff_report
from celery_fix.report import render, text
from celery_fix.report.color import paint_diff, use_color
from celery_fix.report.model import RunReport

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def error(message: str) -> None:
    click.echo(f"celery-fix: error: {message}", err=True)


def fix_titles(rules) -> dict[str, str]:
    from celery_fix.engine.catalogue import RULES

    catalogued = set(RULES)
    titles = {}
    for info in rules:
        if info in catalogued:  # the catalogue has it: the rule (libcst, Fixit) is not imported
            title = info.FIX_TITLE
        else:
            try:
                title = getattr(info.load(), "FIX_TITLE", None)
            except (ImportError, AttributeError):  # the engine reports a rule that fails to import
                title = None
        if title:
            titles[info.CODE] = title
    return titles


def report_run(results: list[FileResult], discovery_errors: list[str], options, config, index=None, rules=()) -> int:
    errors = list(discovery_errors)
    findings = [f for r in results for f in r.findings]
    errors += [r.error for r in results if r.error]
    fmt = options.output_format
    stdin = getattr(options, "stdin_source", None) is not None

    fixed, written = [], []
    reported = findings
    if options.apply_fixes:
        reported = []
        for result in results:
            if result.fixed is None or result.error:  # a file reported as an error is never written
                reported.extend(result.findings)
                continue
            if not stdin:
                try:
                    write_atomic(Path(result.path), result.fixed, result.original)
                except FileError as exc:
                    errors.append(str(exc))
                    reported.extend(result.findings)
                    continue
            written.append(result)
            left = {(f.code, f.line, f.column) for f in result.remaining}
            fixed.extend(f for f in result.findings if (f.code, f.line, f.column) not in left)
            reported.extend(result.remaining)

    color = use_color(options.color) if fmt in ("text", "concise") or options.show_fixes else False
    report = RunReport(
        findings=reported, results=results, errors=errors, applied=options.apply_fixes, fixed=fixed,
        unsafe_fixes=config.unsafe_fixes, show_source=options.show_source, color=color, index=index,
        fix_titles=fix_titles(rules) if fmt in ("json", "json-lines", "sarif", "review") else {},
    )
    report.areas_checked = {info.CODE[3:4] for info in rules}

    if stdin and options.apply_fixes:
        # an editor's format-on-save: the fixed module on stdout, the findings left on stderr
        result = results[0]
        out = click.get_binary_stream("stdout")
        out.write(result.fixed if result.fixed is not None and not result.error else options.stdin_source)
        out.flush()
        for finding in reported:
            click.echo(text.finding_line(finding, config.unsafe_fixes), err=True)
    elif options.statistics:
        click.echo(statistics(reported, report), nl=False)
    else:
        click.echo(render(fmt, report), nl=False, color=color or None)

    human = fmt == "text" and not options.quiet and not stdin
    if options.apply_fixes:
        if options.show_fixes and not stdin:
            click.echo(show_fixes(written, fixed, color), nl=False)
        if human:
            click.echo(text.apply_summary(len(results), len(fixed), len(written), len(reported), len(errors)))
        pending = bool(reported)
    else:
        if fmt == "text" and options.show_diff and not options.quiet and not options.statistics:
            for result in results:
                if result.fixed is not None:
                    diff = diff_report.unified_diff(result.path, result.original, result.fixed, result.encoding)
                    click.echo(paint_diff(diff, color), nl=False, color=color or None)
        if human and not options.statistics:
            click.echo(text.dry_run_summary(len(results), findings, config.unsafe_fixes, len(errors)))
        pending = bool(findings) or any(r.fixed is not None for r in results)

    for message in errors:
        error(message)
    if errors:
        return EXIT_ERROR
    if options.apply_fixes and fixed and options.exit_non_zero_on_fix:
        return EXIT_FINDINGS
    if pending and not options.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def statistics(findings, report) -> str:
    """`--statistics`: count per code, most frequent first, `[*]` where some are fixable."""
    counts = Counter(f.code for f in findings)
    names = {f.code: f.name for f in findings}
    fixable = {f.code for f in findings if report.fixable(f)}
    width = len(str(max(counts.values()))) if counts else 1
    lines = [
        f"{count:>{width}}  {code}  {'[*]' if code in fixable else '   '} {names[code]}"
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    return "".join(line.rstrip() + "\n" for line in lines)


def show_fixes(written: list[FileResult], fixed, color: bool) -> str:
    """`--show-fixes`: what --apply changed, per file."""
    if not fixed:
        return "No fixes applied.\n"
    out = [f"Fixed {len(fixed)} finding{'s' if len(fixed) != 1 else ''}:"]
    by_file: dict[str, Counter] = {}
    for finding in fixed:
        by_file.setdefault(finding.path, Counter())[(finding.code, finding.name)] += 1
    for path, counts in by_file.items():
        out.append(f"- {path}:")
        out += [f"    {n} × {code} ({name})" for (code, name), n in sorted(counts.items())]
    return "\n".join(out) + "\n"
