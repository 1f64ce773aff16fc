"""One pass of fixes over a module: text edits at the reported nodes' spans, the imports the fixes
need, and where the findings left unfixed move to.

A whole-tree transform rebuilds every node of the module (seconds on a large file); a text edit
only generates the replacement nodes. The tree transform stays as the fallback for a node whose
code depends on its parent (an `elif`, an argument's default comma).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import libcst as cst

from celery_fix.engine.depth import refuse_if_too_deep
from celery_fix.engine.imports import ensure_imports, plan_imports
from celery_fix.engine.positions import LINE_BREAK, code_in_place, spans_of
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


def apply_fixes(module: cst.Module, reports: list[rule_base.RawReport], source: bytes) -> Applied:
    """The module's source with the fixes applied: one fix per node per pass; a fix nested in
    another waits for the next pass (the engine's loop runs the rules again)."""
    chosen: dict[int, rule_base.RawReport] = {}
    for report in reports:
        chosen.setdefault(id(report.node), report)
    needed_imports = [pair for report in chosen.values() for pair in report.imports]
    code = source.decode(module.encoding)
    edits = _text_edits(module, list(chosen.values()), code)
    if edits is None:
        fixed = _transform(module, {key: r.replacement for key, r in chosen.items()})
        return Applied((ensure_imports(fixed, needed_imports) if needed_imports else fixed).bytes)
    complete = len(edits) == len(reports)
    if needed_imports:
        insertion = _import_insertion(module, needed_imports, edits)
        if insertion is None:  # no place for a text insertion: let libcst add them
            joined = _joined(code, edits).encode(module.encoding)
            refuse_if_too_deep("<fixed code>", joined)  # every libcst parse goes through the guard
            fixed = ensure_imports(cst.parse_module(joined), needed_imports)
            return Applied(fixed.bytes)
        if insertion[2]:
            edits = sorted([*edits, insertion], key=lambda e: (e[0], e[1]))
    fixed_code = _joined(code, edits)
    return Applied(fixed_code.encode(module.encoding), edits, complete)


def _text_edits(module: cst.Module, reports: list[rule_base.RawReport], code: str) -> list[tuple[int, int, str]] | None:
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
        edits.append((span.start_offset, span.end_offset, code_in_place(module, replacement, span.indent_tokens)))
    return edits


def _import_insertion(module: cst.Module, needed, edits) -> tuple[int, int, str] | None:
    """The missing imports as a text insertion (offset, offset, text), as `ensure_imports` would
    add them; (0, 0, "") when none is missing; None when they cannot go in as text."""
    plan = plan_imports(module, needed)
    if plan is None:
        return (0, 0, "")
    if plan.position >= len(module.body):
        return None  # after the last statement, where the module's footer starts
    anchor = module.body[plan.position]
    offset = spans_of(module, [anchor])[id(anchor)].start_offset
    if offset < 0 or any(start < offset < end for start, end, _ in edits):
        return None
    text = "".join(code_in_place(module, statement, ()) for statement in plan.statements)
    return (offset, offset, text + module.default_newline * plan.blank_lines_after)


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
) -> list[tuple[int, int]] | None:
    """Where each report's (line, column) is after the edits; None when that is not known
    without parsing again: an edit covers where a report starts (and does not keep the code
    before it), or touches a report that may read what the edit changed (only reports that
    survive fixes, CeleryRule.survives_fixes, are taken to stay the same)."""
    old_lines, new_lines = _line_starts(old_code), _line_starts(new_code)
    moved = []
    for report in reports:
        span = report.span
        start = old_lines[span.line - 1] + span.column
        end = old_lines[span.end_line - 1] + span.end_column
        survives = report.rule.survives_fixes(report)
        offset = start
        for edit_start, edit_end, text in edits:
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
        moved.append((line, offset - new_lines[line - 1]))
    return moved


def _line_starts(code: str) -> list[int]:
    return [0, *(match.end() for match in LINE_BREAK.finditer(code))]
