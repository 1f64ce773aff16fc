"""`--add-noqa`: silence every current finding that --apply would not fix, where our noqa reader
looks (engine/checker.py `_comments_around`: the finding's line, or comment lines right above it).

On the finding's line, `  # noqa: CODE` goes at the end, or CODE joins a `# noqa: ...` comment
already there; the rest of the line is kept byte for byte. A line whose end is inside a string or
continued by a backslash cannot end in a comment: the directive goes on a line of its own above
(`# lint-ignore: CODE`, the form the reader takes there). Files are written like --apply's.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

from celery_fix.engine.files import FileError, write_atomic
from celery_fix.engine.model import FileResult, Finding

_LINE = re.compile(r"(\r\n|\r|\n)")  # the line breaks libcst counts lines by (positions.LINE_BREAK)


@dataclass
class Added:
    source: bytes
    directives: int  # lines given a directive
    unplaced: list[int]  # finding lines no comment can go on


def unfixed(result: FileResult, unsafe_fixes: bool) -> list[Finding]:
    """The findings of `result` that --apply leaves (all of them when no fix applies to the file)."""
    if result.fixed is None:
        return list(result.findings)
    return [f for f in result.findings if not (f.fix == "safe" or (f.fix == "unsafe" and unsafe_fixes))]


def add_directives(source: bytes, findings: list[Finding]) -> Added:
    """`source` with a directive for each line holding one of `findings`."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
    text = source.decode(encoding)
    if text.encode(encoding) != source:
        raise ValueError(f"does not round-trip through {encoding}")
    pieces = _LINE.split(text)
    contents, breaks = pieces[0::2], pieces[1::2] + [""]
    if contents and contents[-1] == "" and breaks[-1] == "" and len(contents) > 1:
        contents.pop(), breaks.pop()  # the text ends with a line break: no line after it
    commentable, comments = _line_ends(contents, breaks)
    codes_by_line: dict[int, set[str]] = {}
    for finding in findings:
        codes_by_line.setdefault(finding.line, set()).add(finding.code)

    out: list[str] = []
    added, unplaced = 0, []
    newline = next((b for b in breaks if b), "\n")
    for number, (content, line_break) in enumerate(zip(contents, breaks), start=1):
        codes = sorted(codes_by_line.get(number, ()))
        if codes and number in commentable:
            content = _with_codes(content, comments.get(number), codes)
            added += 1
        elif codes and (number == 1 or number - 1 in commentable):
            indent = content[: len(content) - len(content.lstrip())]
            out.append(f"{indent}# lint-ignore: {', '.join(codes)}{breaks[number - 2] if number > 1 else newline}")
            added += 1
        elif codes:
            unplaced.append(number)
        out.append(content + line_break)
    return Added("".join(out).encode(encoding), added, unplaced)


def _line_ends(contents: list[str], breaks: list[str]) -> tuple[set[int], dict[int, tuple[int, str]]]:
    """The lines whose end a comment can follow (a NEWLINE or NL token ends them: not inside a
    string, not continued by a backslash), and each line's comment (column, text)."""
    lines = iter([content + ("\n" if line_break else "") for content, line_break in zip(contents, breaks)])
    commentable: set[int] = set()
    comments: dict[int, tuple[int, str]] = {}
    for token in tokenize.generate_tokens(lambda: next(lines, "")):
        if token.type in (tokenize.NEWLINE, tokenize.NL):
            commentable.add(token.start[0])
        elif token.type == tokenize.COMMENT:
            comments[token.start[0]] = (token.start[1], token.string)
    return commentable, comments


def _with_codes(content: str, comment: tuple[int, str] | None, codes: list[str]) -> str:
    # the reader's own pattern: what it parses, we extend
    from celery_fix.ruleset.base import NOQA

    if comment is not None:
        column, text = comment
        match = NOQA.search(text)
        if match is not None and match.group("codes") is not None:
            at = column + match.end("codes")
            return f"{content[:at]}, {', '.join(codes)}{content[at:]}"
    stripped = content.rstrip(" \t")
    pad = " " * max(0, 2 - (len(content) - len(stripped)))
    return f"{content}{pad}# noqa: {', '.join(codes)}"


@dataclass
class NoqaRun:
    directives: int = 0
    files: int = 0
    errors: list[str] = field(default_factory=list)  # exit 2
    warnings: list[str] = field(default_factory=list)


def add_noqa(results: list[FileResult], unsafe_fixes: bool) -> NoqaRun:
    """Write the directives into the files of `results`."""
    run = NoqaRun()
    errors = run.errors
    for result in results:
        if result.error:
            errors.append(result.error)
            continue
        findings = unfixed(result, unsafe_fixes)
        if not findings:
            continue
        try:
            added = add_directives(result.original, findings)
        except (SyntaxError, ValueError, LookupError, UnicodeError, tokenize.TokenError) as exc:
            errors.append(f"{result.path}: cannot add noqa directives: {exc}")
            continue
        run.warnings += [
            f"{result.path}:{line}: no noqa directive added: the line before and this one both continue a string or a backslash"
            for line in added.unplaced
        ]
        if added.source == result.original:
            continue
        try:
            write_atomic(Path(result.path), added.source, result.original)
        except FileError as exc:
            errors.append(str(exc))
            continue
        run.directives += added.directives
        run.files += 1
    return run
