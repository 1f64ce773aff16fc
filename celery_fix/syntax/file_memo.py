"""Memos that hold what was worked out for the file being checked (its tree, say): the engine
empties them all when the file is done, so the tree is freed at once rather than kept until the
next file replaces it (and walked meanwhile by the garbage collector)."""

from __future__ import annotations

from typing import Any

_MEMOS: list[dict[Any, Any]] = []


def file_memo() -> dict[Any, Any]:
    """A dict the engine empties after each file."""
    memo: dict[Any, Any] = {}
    _MEMOS.append(memo)
    return memo


def forget_file() -> None:
    for memo in _MEMOS:
        memo.clear()
