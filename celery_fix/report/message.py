"""A rule's message as a short statement of what is wrong, a `help:` line and a fix note.

Rules write one sentence: `what is wrong: why; how to fix[; unsafe fix: ...]`. The last
`; `-separated clause is how to fix it, a clause starting with one of NOTE_PREFIXES is a note on
the fix; the rest is the message (its `: why` part moves to --explain when it makes the message
long). A rule can state its help outright with a `HELP` attribute instead (not needed so far).
"""

from __future__ import annotations

NOTE_PREFIXES = ("unsafe fix:", "no automatic fix:")
SHORT = 120


def _clauses(text: str, separator: str) -> list[str]:
    """`text` split at `separator` outside backticks, parentheses and brackets."""
    out, depth, quoted, start, i = [], 0, False, 0, 0
    while i < len(text):
        char = text[i]
        if char == "`":
            quoted = not quoted
        elif not quoted and char in "([{":
            depth += 1
        elif not quoted and char in ")]}":
            depth = max(depth - 1, 0)
        elif not quoted and depth == 0 and text.startswith(separator, i):
            out.append(text[start:i])
            start = i + len(separator)
            i = start
            continue
        i += 1
    out.append(text[start:])
    return [c.strip() for c in out if c.strip()]


def split_message(message: str) -> tuple[str, str | None, str | None]:
    clauses = _clauses(message, "; ")
    # a note runs to the end of the message (it may have clauses of its own)
    first_note = next((i for i, c in enumerate(clauses) if c.lower().startswith(NOTE_PREFIXES)), len(clauses))
    rest, notes = clauses[:first_note], clauses[first_note:]
    help_text = rest.pop() if len(rest) > 1 else None
    short = "; ".join(rest)
    if len(short) > SHORT:
        head = _clauses(short, ": ")
        if len(head) > 1 and len(head[0]) >= 40:
            short = head[0]
            if help_text is None:  # "what: how to fix" without a "; "
                help_text = ": ".join(head[1:])
    if len(short) > SHORT and short.endswith(")") and not short.endswith("?)"):
        opened = _last_top_level_paren(short)
        if opened > 20:
            short = short[:opened].rstrip()
    return short, help_text, "; ".join(notes) or None


def _last_top_level_paren(text: str) -> int:
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        if text[i] == ")":
            depth += 1
        elif text[i] == "(":
            depth -= 1
            if depth == 0:
                return i
    return -1
