"""`self.retry(...)` as a bare statement becomes `raise self.retry(...)` (the CEL205 fix)."""

from __future__ import annotations

import libcst as cst


def raise_retry(statement: cst.Expr) -> cst.Raise:
    """The `raise` of the call in `statement`; the call keeps its layout (and `retry()` raises
    `Retry` itself, so the `raise` only makes the control flow visible)."""
    call = statement.value
    return cst.Raise(exc=call, whitespace_after_raise=cst.SimpleWhitespace(" "), semicolon=statement.semicolon)
