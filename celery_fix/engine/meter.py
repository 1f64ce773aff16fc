"""Counts of work done (files indexed, files checked) for whoever listens: the command's progress
bar (celery_fix/progress.py). Nothing listens by default, and then a count costs one test."""

from __future__ import annotations

from typing import Protocol


class Listener(Protocol):
    def stage(self, name: str, total: int) -> None: ...

    def advance(self, count: int) -> None: ...


_listener: Listener | None = None


def listen(listener: Listener | None) -> None:
    global _listener
    _listener = listener


def stage(name: str, total: int) -> None:
    """A new stage of `total` files starts (main process only: workers' counts arrive with their results)."""
    if _listener is not None:
        _listener.stage(name, total)


def advance(count: int = 1) -> None:
    if _listener is not None and count:
        _listener.advance(count)
