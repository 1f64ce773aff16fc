"""Memos that hold what was worked out for the file being checked (its tree, say): the engine
empties them all when the file is done, so the tree is freed at once rather than kept until the
next file replaces it (and walked meanwhile by the garbage collector)."""

from __future__ import annotations

from typing import Any, Callable, TypeVar

_MEMOS: list[dict[Any, Any]] = []
_T = TypeVar("_T")
_OWNER = object()  # the memo's key for what its entries were worked out with


def file_memo() -> dict[Any, Any]:
    """A dict the engine empties after each file."""
    memo: dict[Any, Any] = {}
    _MEMOS.append(memo)
    return memo


def forget_file() -> None:
    for memo in _MEMOS:
        memo.clear()


def remembered(memo: dict[Any, Any], owner: object, subject: object, detail: Any, work: Callable[[], _T]) -> _T:
    """`work()`, once per `subject` (a node, a module, a source; held, so its id cannot be reused
    meanwhile) and `detail`: `memo` starts over when `owner` (the file's name table, say) is
    another object than the one its entries were worked out with."""
    if memo.get(_OWNER) is not owner:
        memo.clear()
        memo[_OWNER] = owner
    key = (id(subject), detail)
    found = memo.get(key)
    if found is not None and found[0] is subject:
        return found[1]
    value = work()
    memo[key] = (subject, value)
    return value
