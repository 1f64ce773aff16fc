"""A progress bar on stderr for runs that take a while (files indexed, files checked).

Only on a terminal: nothing in pipes, CI logs (`CI` set), `--quiet`, `TERM=dumb`, or formats a
program reads. It appears after a second (`CELERY_FIX_PROGRESS_AFTER` seconds), redraws at most
ten times a second, and is erased before the findings are printed.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from celery_fix.engine import meter

ERASE = "\r\x1b[K"
WIDTH = 24  # characters of the bar itself
HUMAN_FORMATS = ("text", "concise")


def wanted(stream: IO[str], quiet: bool, output_format: str | None) -> bool:
    if quiet or (output_format or "text") not in HUMAN_FORMATS:
        return False
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Bar:
    def __init__(self, stream: IO[str], after: float = 1.0, interval: float = 0.1) -> None:
        self.stream, self.after, self.interval = stream, after, interval
        self.started = time.monotonic()
        self.last = 0.0
        self.drawn = False
        self.name, self.total, self.done = "", 0, 0

    def stage(self, name: str, total: int) -> None:
        self.name, self.total, self.done = name, total, 0
        self._draw()

    def advance(self, count: int) -> None:
        self.done = min(self.total, self.done + count)
        self._draw()

    def line(self) -> str:
        filled = WIDTH * self.done // self.total if self.total else WIDTH
        return f"celery-fix: {self.name} [{'#' * filled}{'.' * (WIDTH - filled)}] {self.done}/{self.total} files"

    def _draw(self) -> None:
        now = time.monotonic()
        if now - self.started < self.after or (now - self.last < self.interval and self.done < self.total):
            return
        self.last = now
        self._write(ERASE + self.line())
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self._write(ERASE)
            self.drawn = False

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # a closed terminal must not end the run
            pass


def _after() -> float:
    try:
        return max(0.0, float(os.environ.get("CELERY_FIX_PROGRESS_AFTER", "1")))
    except ValueError:
        return 1.0


@contextmanager
def shown(quiet: bool, output_format: str | None, stream: IO[str] | None = None) -> Iterator[None]:
    """The bar on `stream` (stderr) while the block runs, when a terminal shows it."""
    stream = stream if stream is not None else sys.stderr
    if not wanted(stream, quiet, output_format):
        yield
        return
    bar = Bar(stream, after=_after())
    meter.listen(bar)
    try:
        yield
    finally:
        meter.listen(None)
        bar.close()
