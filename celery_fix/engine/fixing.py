"""One pass of fixes over a module: text edits at the reported nodes' spans, the imports the fixes
need, and where the findings left unfixed move to.

A whole-tree transform rebuilds every node of the module (seconds on a large file); a text edit
only generates the replacement nodes. The tree transform stays as the fallback for a node whose
code depends on its parent (an `elif`, an argument's default comma).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import libcst as cst

from celery_fix.engine.depth import refuse_if_too_deep
from celery_fix.engine.imports import ensure_imports, plan_imports
from celery_fix.engine.positions import LINE_BREAK, code_in_place, spans_of
from celery_fix.engine.style import CodeStyle
from celery_fix.engine.wrap import black_decorator, black_statement, too_long
from celery_fix.ruleset import base as rule_base


@dataclass
class Applied:
    source: bytes
    # the fixes as text edits (start, end, new text) in the old code's character offsets; None
    # when libcst rewrote the tree (a replacement that depends on its parent, imports with no
    # place for a text insertion)
    edits: list[tuple[int, int, str]] | None = None
    # every fix of the pass landed (none waits for a later pass)
    complete: bool = False


def apply_fixes(
    module: cst.Module, reports: list[rule_base.RawReport], source: bytes, style: CodeStyle = CodeStyle()
) -> Applied:
    """The module's source with the fixes applied: one fix per node per pass; a fix nested in
    another waits for the next pass (the engine's loop runs the rules again)."""
    chosen: dict[int, rule_base.RawReport] = {}
    for report in reports:
        chosen.setdefault(id(report.node), report)
    needed_imports = [pair for report in chosen.values() for pair in report.imports]
    code = source.decode(module.encoding)
    edits = _text_edits(module, list(chosen.values()), code, style)
    if edits is None:
        fixed = _transform(module, {key: r.replacement for key, r in chosen.items()})
        return Applied((ensure_imports(fixed, needed_imports, style) if needed_imports else fixed).bytes)
    complete = len(edits) == len(reports)
    if needed_imports:
        insertion = _import_insertion(module, needed_imports, edits, style)
        if insertion is None:  # no place for a text insertion: let libcst add them
            joined = _joined(code, edits).encode(module.encoding)
            refuse_if_too_deep("<fixed code>", joined)  # every libcst parse goes through the guard
            return Applied(ensure_imports(cst.parse_module(joined), needed_imports, style).bytes)
        if insertion[2] or insertion[1] > insertion[0]:
            edits = sorted([*edits, insertion], key=lambda e: (e[0], e[1]))
    fixed_code = _joined(code, edits)
    return Applied(fixed_code.encode(module.encoding), edits, complete)


def _text_edits(
    module: cst.Module, reports: list[rule_base.RawReport], code: str, style: CodeStyle
) -> list[tuple[int, int, str]] | None:
    """(start, end, new text) for each fix that can land this pass; None when some replacement
    cannot be placed as text."""
    edits: list[tuple[int, int, str]] = []
    for report in sorted(reports, key=lambda r: r.span.start_offset):
        span, replacement = report.span, report.replacement
        if not isinstance(replacement, cst.CSTNode) or span.start_offset < 0:
            return None
        if edits and span.start_offset < edits[-1][1]:
            continue  # nested in an earlier fix: next pass
        # the node must generate in place exactly what the module holds there
        if code_in_place(module, report.node, span.indent_tokens) != code[span.start_offset : span.end_offset]:
            return None
        text = code_in_place(module, replacement, span.indent_tokens)
        if isinstance(replacement, cst.BaseSmallStatement):
            text = _wrapped(module, code, span, replacement, text, style)
        elif isinstance(replacement, cst.Decorator) and too_long(text, style.line_length):
            text = _wrapped_decorator(module, span, replacement, text, style)
        elif isinstance(replacement, cst.BaseExpression):
            text = _wrapped_decorator_call(module, code, span, replacement, text, style)
        edits.append((span.start_offset, span.end_offset, text))
    return edits


def _wrapped_decorator(module: cst.Module, span, replacement: cst.Decorator, text: str, style: CodeStyle) -> str:
    """A decorator the fix made too long (`@app.task(..., ignore_result=True)`), as black wraps it."""
    indent = "".join(span.indent_tokens)
    if "\t" in indent:
        return text
    bare = code_in_place(module, replacement.with_changes(leading_lines=()), ())
    formatted = black_decorator(bare, style.line_length - len(indent))
    if formatted is None:
        return text
    return code_in_place(module, formatted.with_changes(leading_lines=replacement.leading_lines), span.indent_tokens)


def _wrapped_decorator_call(
    module: cst.Module, code: str, span, replacement: cst.BaseExpression, text: str, style: CodeStyle
) -> str:
    """A decorator's whole call the fix made too long (CEL202's `@shared_task(...)`), wrapped as black
    wraps the decorator; `text` when the span is not alone after an `@` on its line, or fits."""
    start, end = span.start_offset, span.end_offset
    line_start = max(code.rfind("\n", 0, start), code.rfind("\r", 0, start)) + 1
    match = LINE_BREAK.search(code, end)
    head, rest = code[line_start:start], code[end : match.start() if match else len(code)]
    if not head.endswith("@") or head[:-1].strip() or rest.strip() or not too_long(head + text, style.line_length):
        return text
    line_break = match.group() if match else "\n"
    decorator = cst.Decorator(decorator=replacement)
    wrapped = _wrapped_decorator(module, span, decorator, head + text + line_break, style)
    if not wrapped.startswith(head) or not wrapped.endswith(line_break):
        return text
    return wrapped[len(head) : len(wrapped) - len(line_break)]


_PRAGMA = re.compile(r"#\s*(noqa|type:|pyright:|pylint:|nosec|isort:|ruff:|mypy:)", re.IGNORECASE)


def _wrapped(module: cst.Module, code: str, span, replacement: cst.BaseSmallStatement, text: str, style: CodeStyle) -> str:
    """`text`, the replacement statement, as black lays it out when it does not fit the line
    length or spans several lines; as it is when it fits on one line, or does not stand alone on
    its lines (`a(); b()`, `with x: b()`), where black would restructure more than the fix."""
    start, end = span.start_offset, span.end_offset
    line_start = max(code.rfind("\n", 0, start), code.rfind("\r", 0, start)) + 1
    match = LINE_BREAK.search(code, end)
    line_end = match.start() if match else len(code)
    indent, rest = code[line_start:start], code[end:line_end]
    if indent.strip() or "\t" in indent or (rest.strip() and not rest.lstrip().startswith("#")):
        return text
    # like ruff (E501, ruff format), a pragma comment does not count towards the line length
    counted = "" if _PRAGMA.match(rest.strip()) else rest
    if "\n" not in text and "\r" not in text and not too_long(indent + text + counted, style.line_length):
        return text
    if getattr(replacement, "semicolon", cst.MaybeSentinel.DEFAULT) != cst.MaybeSentinel.DEFAULT:
        return text  # `x;` alone on its line: leave it
    bare = code_in_place(module, replacement, ())
    # with the trailing comment, as black counts it; without, if black moves the comment
    width = style.line_length - len(indent)
    for candidate, comment in ((bare + counted, counted.strip() or None), (bare, None)):
        line = black_statement(candidate.strip() + "\n", width)
        if line is None:
            continue
        found = line.trailing_whitespace.comment
        if (found.value if found else None) == comment:
            return code_in_place(module, line.body[0], span.indent_tokens)
    return text


def _import_insertion(module: cst.Module, needed, edits, style: CodeStyle) -> tuple[int, int, str] | None:
    """The missing imports as one text edit of the module's head, as `ensure_imports` would add
    them; (0, 0, "") when none is missing; None when they cannot go in as text."""
    plan = plan_imports(module, needed, style)
    if plan is None:
        return (0, 0, "")
    body = module.body
    if plan.start >= len(body):
        return None  # after the last statement, where the module's footer starts
    first, last = body[plan.start], body[max(plan.end - 1, plan.start)]
    spans = spans_of(module, [first, last])
    start = spans[id(first)].start_offset
    end = spans[id(last)].end_offset if plan.end > plan.start else start
    if start < 0 or end < 0 or any((s < end and e > start) if end > start else s < start < e for s, e, _ in edits):
        return None
    text = "".join(code_in_place(module, statement, ()) for statement in plan.statements)
    return (start, end, text)


def mirrored(original: str, parsed: str, edits: list[tuple[int, int, str]]) -> str:
    """`edits`, made on `parsed`, applied to `original`: the two have the same lines, where
    `parsed` is not blank (elide.reduce_module), so an offset maps by its line and column. A line
    of `parsed` may lack a few characters at its start (formfeed.py): a column past 0 moves by them."""
    original_lines, parsed_lines = _line_starts(original), _line_starts(parsed)
    original_ends, parsed_ends = [*original_lines[1:], len(original)], [*parsed_lines[1:], len(parsed)]

    def moved(offset: int) -> int:
        line = bisect.bisect_right(parsed_lines, offset)
        column = offset - parsed_lines[line - 1]
        if column:
            column += (original_ends[line - 1] - original_lines[line - 1]) - (parsed_ends[line - 1] - parsed_lines[line - 1])
        return original_lines[line - 1] + column

    return _joined(original, [(moved(start), moved(end), text) for start, end, text in edits])


def _joined(code: str, edits) -> str:
    pieces, last = [], 0
    for start, end, text in edits:
        pieces += [code[last:start], text]
        last = end
    pieces.append(code[last:])
    return "".join(pieces)


def _transform(module: cst.Module, replacements: dict[int, object]) -> cst.Module:
    class ReplaceReported(cst.CSTTransformer):
        def on_visit(self, node: cst.CSTNode) -> bool:
            return id(node) not in replacements  # a replaced parent drops nested fixes: next pass

        def on_leave(self, original, updated):
            return replacements.get(id(original), updated)

    return module.visit(ReplaceReported())


def shifted_positions(
    reports: list[rule_base.RawReport], edits: list[tuple[int, int, str]], old_code: str, new_code: str
) -> list[tuple[int, int, int, int]] | None:
    """Where each report's (line, column, end line, end column) is after the edits; None when that is not known
    without parsing again: an edit covers where a report starts (and does not keep the code
    before it), or touches a report that may read what the edit changed (only reports that
    survive fixes, CeleryRule.survives_fixes, are taken to stay the same)."""
    old_lines, new_lines = _line_starts(old_code), _line_starts(new_code)
    moved = []
    for report in reports:
        span = report.position_span or report.span  # where the finding points
        start = old_lines[span.line - 1] + span.column
        end = old_lines[span.end_line - 1] + span.end_column
        survives = report.rule.survives_fixes(report)
        offset = start
        end_offset = end
        for edit_start, edit_end, text in edits:
            if edit_end <= end:
                end_offset += len(text) - (edit_end - edit_start)  # before the report's end
            elif edit_start < end:
                end_offset = max(end_offset + edit_start - end + len(text), offset)  # across its end
            if edit_end <= start and (edit_start < start or edit_end == start):
                offset += len(text) - (edit_end - edit_start)  # before the report (or inserted at its start)
            elif edit_start >= end:
                continue  # after it
            elif not survives:
                return None
            elif edit_start < start:
                kept = start - edit_start  # the edit must keep the code up to the report's start
                if old_code[edit_start:start] != text[:kept]:
                    return None
        line = bisect.bisect_right(new_lines, offset)
        end_line = bisect.bisect_right(new_lines, end_offset)
        moved.append((line, offset - new_lines[line - 1], end_line, end_offset - new_lines[end_line - 1]))
    return moved


def _line_starts(code: str) -> list[int]:
    return [0, *(match.end() for match in LINE_BREAK.finditer(code))]
