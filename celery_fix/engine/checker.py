"""Checks one file: the rules' relevance test, one parse, one batched pass, the fix loop, the checks.
(`celery_fix.engine.runner` runs it over many files.)

Rules run under our own driver rather than Fixit's LintRunner: all rules share one traversal
with no metadata providers (Fixit's Position/Parent metadata costs several parses per file),
and positions and suppression comments are worked out only for what was reported.
"""

from __future__ import annotations

import ast
import os
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import libcst as cst
from libcst._nodes.base import CSTNode

from celery_fix.constructs.modules import module_name_for
from celery_fix.constructs.names import build_name_table
from celery_fix.constructs.test_code import is_test_path
from celery_fix.engine import profile
from celery_fix.engine.depth import refuse_if_too_deep
from celery_fix.engine.elide import KeepWords, Outline, apply_plan, first_lines, first_lines_of, outline_of, plan_of
from celery_fix.engine.files import FileError
from celery_fix.engine.fixing import Applied, apply_fixes, mirrored, shifted_positions
from celery_fix.engine.formfeed import without_indent_form_feeds
from celery_fix.engine.gcpause import gc_paused
from celery_fix.engine.model import EngineSettings, FileResult, Finding
from celery_fix.engine.positions import LINE_BREAK, Span, spans_of
from celery_fix.engine.registry import all_rule_classes
from celery_fix.engine.selection import ignored_for_path, minimal_words, trigger_words
from celery_fix.ruleset import base as rule_base

__all__ = ["EngineSettings", "FileResult", "Finding", "check_one", "check_source"]
from celery_fix.syntax.file_memo import forget_file
from celery_fix.syntax.walk import visit_batched_fast

MAX_FIX_PASSES = 10  # like ruff's fix loop: overlapping fixes land one per pass


# -- per-process state: rules are imported and instantiated once per worker ---------------------
_RULES: list[rule_base.CeleryRule] = []
_SETTINGS: EngineSettings | None = None


def _init_worker(settings: EngineSettings) -> None:
    global _RULES, _SETTINGS, _KEEP_WORDS
    _SETTINGS = settings
    _KEEP_WORDS = None
    by_code = {r.CODE: r for r in all_rule_classes()}
    _RULES = []
    for code in settings.codes:
        instance = by_code[code]()
        instance.configured = {k: v for k, v in settings.rule_options.items() if k in by_code[code].OPTIONS}
        _RULES.append(instance)
        by_code[code].visitor_names()  # found here, before workers fork: they inherit it
    global _CONFIGURED
    _CONFIGURED = [frozenset(vars(r)) | _KEPT_ACROSS_FILES for r in _RULES]


_CONFIGURED: list[frozenset[str]] = []  # each rule's attributes before any file
_KEPT_ACROSS_FILES = frozenset({"_visitors"})  # ruleset/base.py: the rule's visitor table, built once


def _forget_file_state() -> None:
    """Drop what the rules kept of the last file (its tree, by way of their per-file attributes):
    freed now by reference counting, the tree is not walked again by the next garbage collections."""
    for rule, configured in zip(_RULES, _CONFIGURED):
        state = vars(rule)
        for name in [n for n in state if n not in configured]:
            del state[name]
    forget_file()


def check_source(path: str, source: bytes, plan: Outline | None = None) -> FileResult:
    assert _SETTINGS is not None, "engine not initialised"
    result = FileResult(path, original=source)
    rules = [r for r in _RULES if not ignored_for_path(r.CODE, path, _SETTINGS) and not _skips(r, path)]
    if not rules or (_SETTINGS.prefilter and not _mentions_any(source, rules, path)):
        return result
    try:
        with gc_paused():  # linear time in the size of the module (gcpause.py)
            try:
                _check_parsed(result, source, rules, plan)
            finally:
                _forget_file_state()
    except RecursionError:
        result.error = f"{path}: too deeply nested to analyse (RecursionError); skipped"
    except Exception as exc:  # a bug in a rule must not end the run
        result.error = f"{path}: internal error: {type(exc).__name__}: {exc}"
        result.internal_error = True
    return result


def _skips(rule, path: str) -> bool:
    """A rule that reports nothing in test code, on a test file (also when it checks the fixed
    versions, which its relevance test sees without a path)."""
    return rule.SKIPS_TEST_CODE and is_test_path(path)


def _mentions_any(source: bytes, rules, path: str) -> bool:
    words = trigger_words(tuple(type(r) for r in rules))
    if words is not None and not any(word in source for word in words) and not _schedule_file(path):
        return False  # the common case, decided by one scan per distinct word
    index = _index_for(path)
    return any(r.relevant(source, index, path) for r in rules)


def _index_for(path: str | None):
    """The index, for relevance tests; None for a file the index could not read (no facts of it to
    rule it out: the rules judge it by what it shows)."""
    index = _SETTINGS.index
    if index is not None and path is not None and getattr(index, "not_indexed", None) and os.path.abspath(path) in index.not_indexed:
        return None
    return index


def relevant_here(source: bytes, path: str, found=None) -> bool:
    """Whether some rule not ignored for `path` finds the file relevant. `found` (the file's
    words, wordscan.Found) rules out at once the rules none of whose words the file holds."""
    assert _SETTINGS is not None, "engine not initialised"
    index = _index_for(path)
    return any(
        r.relevant(source, index, path)
        for r in _RULES
        if not ignored_for_path(r.CODE, path, _SETTINGS)
        and (found is None or not r.TRIGGERS or found.any(r.TRIGGERS) or _schedule_file(path))
    )


def _schedule_file(path: str) -> bool:
    """A file holding beat entries of a schedule assembled elsewhere (index.schedule_files): the
    beat rules see it whatever words it holds (their `relevant` decides)."""
    return path in getattr(_SETTINGS.index, "schedule_files", ())


def _parse(path: str, source: bytes) -> cst.Module:
    refuse_if_too_deep(path, source)
    try:
        with _unvalidated_nodes(), profile.work("rule parse"):
            return cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        from celery_fix.engine.syntax_error import python_syntax_error

        message = python_syntax_error(path, source)
        raise FileError(message or f"{path}:{exc.raw_line}:{exc.raw_column + 1}: syntax error: {_one_line(exc.message)}") from None
    except (UnicodeDecodeError, LookupError, SyntaxError) as exc:
        raise FileError(f"{path}: cannot decode: {exc}") from None


@contextmanager
def _unvalidated_nodes() -> Iterator[None]:
    """libcst checks every node as it is built (`CSTNode.__post_init__`), a fifth of the parse
    time; the nodes its parser builds from source it accepted pass that check by construction
    (libcst's own comment there suggests skipping it when parsing). Nodes a fix builds are
    still checked: this holds only around the parse."""
    check = CSTNode.__post_init__
    CSTNode.__post_init__ = _no_check  # type: ignore[method-assign]
    try:
        yield
    finally:
        CSTNode.__post_init__ = check  # type: ignore[method-assign]


def _no_check(self) -> None:
    pass


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _check_parsed(result: FileResult, source: bytes, rules, shape: Outline | None = None) -> None:
    """`shape`: the module's outline (elide.py), when the index's pass worked it out already."""
    within = lines = whole_lines = None
    if not _SETTINGS.prefilter:
        reduced = None
    else:
        here = [r for r in rules if r.relevant(source, _index_for(result.path), result.path)]
        # only the words of the rules that run here keep a definition (views.py of a project:
        # `print` and `except` are words of rules that look only at tasks)
        words = _words_of(here)
        if shape is None or shape[2] != len(source):  # (else the file changed since the index read it)
            shape = outline_of(source)
        plan = plan_of(shape, source, words) if shape is not None else ()
        reduced = apply_plan(source, plan)
        if reduced is not None and words != _keep_words():
            within = _Within(here, source, shape, plan)
        if shape is not None:  # where the top-level statements start, for the positions
            lines, whole_lines = first_lines(shape, plan), first_lines(shape)
    reduced = without_indent_form_feeds(reduced if reduced is not None else source) or reduced
    if reduced is not None:
        try:
            _check_text(result, source, rules, reduced, within, lines)
            return
        except _NotMirrored:
            result.findings, result.remaining, result.fixed, result.error = [], [], None, None
    _check_text(result, source, rules, None, lines=whole_lines)
    if result.fixed is not None and without_indent_form_feeds(source) is not None:
        # libcst drops such form feeds from the code it writes: report, do not rewrite the file
        result.fixed, result.remaining = None, list(result.findings)


class _NotMirrored(Exception):
    """A fix of the reduced module cannot be carried over to the whole one as text edits."""


class _Within:
    """The rules the reduced module serves: those it was reduced for, and any other whose words
    blank out nothing more (the same module reduced for them too: a fixed version some rule the
    index had ruled out on the original finds relevant is checked on it without a fall back)."""

    def __init__(self, rules, source: bytes, shape: Outline, plan) -> None:
        self.rules, self.source, self.shape, self.plan = list(rules), source, shape, plan
        self.ids = set(map(id, rules))

    def serves(self, rules) -> bool:
        extra = [r for r in rules if id(r) not in self.ids]
        if not extra:
            return True
        if plan_of(self.shape, self.source, _words_of(self.rules + extra)) != self.plan:
            return False  # their words keep a definition the reduced module lacks
        self.rules += extra
        self.ids.update(map(id, extra))
        return True


def _keep_words() -> KeepWords:
    """What a top-level definition must mention for the rules to need it (elide.py)."""
    global _KEEP_WORDS
    if _KEEP_WORDS is None:
        _KEEP_WORDS = _words_of(_RULES)
    return _KEEP_WORDS


def _words_of(rules) -> KeepWords:
    """The rules' KEEP_WORDS (narrower than their TRIGGERS: what makes a definition matter)."""
    words = {word for r in rules for word in r.keep_words()}
    # the project's own atomic blocks (`atomic-functions`) are context words of the rules reading them
    words |= {
        a.rsplit(".", 1)[-1].encode()
        for r in rules if "atomic-functions" in r.OPTIONS for a in r.option("atomic-functions") or ()
    }
    plain = minimal_words(w for w in words if type(w) is bytes)
    # a tuple is redundant when a plain word keeps all it keeps (one of its parts holds that word)
    both = sorted(w for w in words if type(w) is not bytes and not any(p in part for p in plain for part in w))
    return (*plain, *both)


_KEEP_WORDS: KeepWords | None = None


def _check_text(result: FileResult, source: bytes, rules, reduced: bytes | None, within=None, lines=None) -> None:
    """Check `source`; with `reduced` (elide.py), parse and fix that instead and carry the fixes
    over to `source` (same lines and columns, so findings point at the same places). `within`:
    the rules `reduced` serves (_Within; None: all); a fixed version some rule it does not serve
    finds relevant is checked whole instead. `lines`: where the top-level statements of what is
    parsed start (elide.first_lines), when known."""
    path = result.path
    parsed = reduced if reduced is not None else source
    try:
        module = _parse(path, parsed)
    except FileError as exc:
        if reduced is not None:
            raise _NotMirrored from None  # the whole module words the error
        result.error = str(exc)
        return
    result.parsed = True
    result.encoding = module.encoding
    index = _SETTINGS.index
    module_name = index.module_name(path) if hasattr(index, "module_name") else module_name_for(Path(path))
    reports = _run_rules(module, rules, path, module_name, parsed, original=True, words=source, lines=lines)
    with profile.work("positions"):
        result.findings = _to_findings(path, module, parsed, reports)

    current, current_reports, current_parsed, current_source = module, reports, parsed, source
    remaining: list[Finding] | None = None
    for _ in range(MAX_FIX_PASSES):
        applicable = [r for r in current_reports if _fix_allowed(r)]
        if not applicable:
            break
        with profile.work("fixes"):
            applied = apply_fixes(current, applicable, current_parsed, _SETTINGS.style)
        if applied.source == current_parsed:
            break
        fixed_source = applied.source
        if reduced is not None:
            if applied.edits is None:
                raise _NotMirrored
            encoding = module.encoding
            fixed_source = mirrored(current_source.decode(encoding), current_parsed.decode(encoding), applied.edits).encode(encoding)
        tree = None
        if applied.complete and not _SETTINGS.full_fix_loop:
            tree = _ast_body(applied.source)
            fixed_by = frozenset(r.rule.CODE for r in applicable)
            remaining = _settled(path, current, current_parsed, current_reports, applied, tree is not None, fixed_by)
            if remaining is not None:
                current_source = fixed_source
                break
        try:
            current = _parse(path, applied.source)
        except FileError as exc:
            if reduced is not None:
                raise _NotMirrored from None
            result.error = f"{path}: internal error: a fix produced code that does not parse ({exc}); file left unchanged"
            result.internal_error = True
            result.fixed = None
            return
        current_parsed, current_source = applied.source, fixed_source
        current_reports = _run_rules(
            current, rules, path, module_name, current_parsed, original=False, words=current_source, within=within,
            lines=first_lines_of(tree) if tree is not None else None,
        )
    if current_source != source:
        result.fixed = current_source
        result.remaining = remaining if remaining is not None else _to_findings(path, current, current_parsed, current_reports)
    else:
        result.remaining = list(result.findings)


def _ast_body(source: bytes) -> list[ast.stmt] | None:
    """The module's top-level statements by the stdlib `ast`; None when it does not parse."""
    try:
        return ast.parse(source).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _settled(
    path: str, module: cst.Module, source: bytes, reports, applied: Applied, parses: bool, fixed_by=frozenset(),
) -> list[Finding] | None:
    """The findings left after a pass where every fix landed as a text edit, without parsing and
    checking the result again. Only when nothing is left but reports that survive fixes
    (CeleryRule.survives_fixes), or the fixes of the rules `fixed_by` (SURVIVES_FIXES_OF): any other report may turn fixable once a fix lands (CEL806's `minute=0` makes
    a CEL801 entry's period known), and no fix creates a new finding (the snapshots check each fix
    on its own output; test_engine checks all rules together). None when the shortcut does not
    hold: the fixed code must be parsed and checked again."""
    # a fix must never write code that does not parse. When `source` is reduced, the whole fixed
    # module is this plus top-level definitions that parsed before and did not change
    if not parses:
        return None  # newer syntax than this Python's, or a broken fix: libcst decides
    left = [r for r in reports if not _fix_allowed(r)]
    if not all(r.rule.survives_fixes(r) or fixed_by <= r.rule.SURVIVES_FIXES_OF for r in left):
        return None  # a fix may have made it fixable (a crontab given `minute=0`): check again
    moved = shifted_positions(left, applied.edits or [], source.decode(module.encoding), applied.source.decode(module.encoding))
    if moved is None:
        return None
    findings = []
    for report, (line, column, end_line, end_column) in zip(left, moved):
        findings.append(_finding(path, report, Span(line, column, end_line, end_column)))
    findings.sort(key=lambda f: (f.line, f.column, f.code))
    return findings


def _fix_allowed(report: rule_base.RawReport) -> bool:
    if report.replacement is None:
        return False
    return not report.unsafe or _SETTINGS.unsafe_fixes


def _run_rules(
    module: cst.Module, rules, path: str, module_name: str, source: bytes, original: bool, words: bytes,
    within=None, lines=None,
) -> list[rule_base.RawReport]:
    # each rule sees only files it can fire on (`words`: the whole module's bytes, `source` may be
    # reduced): its visitors cost nothing elsewhere. The index's facts about the file describe the
    # original source, not a fixed version of it.
    if _SETTINGS.prefilter:
        index = _index_for(path)
        rules = [r for r in rules if r.relevant(words, index, path if original else None)]
        if within is not None and not within.serves(rules):
            raise _NotMirrored  # `source` may lack what this rule reads: check the whole module
    if not rules:
        return []
    names = build_name_table(module, module_name, _SETTINGS.project_apps, is_package=path.endswith("__init__.py"))
    context = rule_base.FileContext(
        module=module, names=names, path=path, options=_SETTINGS.rule_options, index=_SETTINGS.index
    )
    sink: list[rule_base.RawReport] = []
    for r in rules:
        r._sink = sink
        r.context = context
        r.names = names
    try:
        with profile.work("rule walk"):
            visit_batched_fast(module, rules)
    finally:
        for r in rules:
            r._sink = None
            r.context = None
            r.names = None
    return _drop_suppressed(module, source, sink, lines)


def _drop_suppressed(module: cst.Module, source: bytes, reports: list[rule_base.RawReport], first=None) -> list[rule_base.RawReport]:
    if not reports:
        return reports
    code = source.decode(module.encoding, errors="replace")
    spans = spans_of(module, [r.node for r in reports] + [r.at for r in reports if r.at is not None], first, code)
    lines = LINE_BREAK.split(code)
    kept = []
    for report in reports:
        span = spans[id(report.node)]
        shown = spans[id(report.at)] if report.at is not None else span
        comments = _comments_around(lines, span) + (_comments_around(lines, shown) if shown is not span else [])
        if not any(rule_base.suppresses(c, report.rule) for c in comments):
            report.span, report.position_span = span, shown
            kept.append(report)
    return kept


_COMMENT = re.compile(r"#.*$")


def _comments_around(lines: list[str], span) -> list[str]:
    """Comments that may suppress a finding: on its first or last line, and on the comment-only
    lines right above it (Fixit's `# lint-ignore` style)."""
    comments = []
    for number in {span.line, span.end_line}:
        if 0 < number <= len(lines):
            match = _COMMENT.search(lines[number - 1])
            if match:
                comments.append(match.group(0))
    above = span.line - 2
    while above >= 0 and lines[above].lstrip().startswith("#"):
        comments.append(lines[above].lstrip())
        above -= 1
    return comments


def _to_findings(path: str, module: cst.Module, source: bytes, reports) -> list[Finding]:
    findings = []
    for report in reports:
        findings.append(_finding(path, report, report.position_span or report.span))
    findings.sort(key=lambda f: (f.line, f.column, f.code))
    return findings


def _finding(path: str, report: rule_base.RawReport, span) -> Finding:
    fix = None
    if report.replacement is not None:
        fix = "unsafe" if report.unsafe else "safe"
    return Finding(
        path=path, line=span.line, column=span.column + 1, code=report.rule.CODE, name=report.rule.NAME,
        message=report.message, severity=report.rule.SEVERITY, fix=fix, help=report.help, note=report.note,
        end_line=span.end_line, end_column=span.end_column + 1,
    )


def check_one(path: str, source: bytes, settings: EngineSettings) -> FileResult:
    """Check a single in-memory source (tests, stdin, editors)."""
    _init_worker(settings)
    return check_source(path, source)
