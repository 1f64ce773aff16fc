"""Where a run's time goes, phase by phase: on only when `CELERY_FIX_PROFILE=FILE` is set (bench/run.py
sets it), then written to FILE as JSON at the end of the run. Off, each call is one flag test.

Two kinds of figures: `wall` phases follow the main process's timeline (each `lap` charges the time
since the previous one); `cpu` phases add up the work done on every process (rule parse, rule walk
and fixes run in worker processes), so they can exceed the wall time.
"""

from __future__ import annotations

import json
import os
import time
from contextlib import contextmanager
from typing import Iterator

TARGET = os.environ.get("CELERY_FIX_PROFILE") or None
ENABLED = TARGET is not None

_wall: dict[str, float] = {}
_cpu: dict[str, float] = {}
_last = time.perf_counter()


def start() -> None:
    global _last
    _wall.clear()
    _cpu.clear()
    _last = time.perf_counter()


def lap(phase: str) -> None:
    """Charge the main process's time since the previous lap to `phase`."""
    global _last
    if ENABLED:
        now = time.perf_counter()
        _wall[phase] = _wall.get(phase, 0.0) + now - _last
        _last = now


@contextmanager
def work(phase: str) -> Iterator[None]:
    """Add the time spent inside to `phase`'s total over all processes."""
    if not ENABLED:
        yield
        return
    started = time.perf_counter()
    try:
        yield
    finally:
        _cpu[phase] = _cpu.get(phase, 0.0) + time.perf_counter() - started


def take() -> dict[str, float]:
    """This process's work totals since the last take (a worker sends them back with its result)."""
    taken = dict(_cpu)
    _cpu.clear()
    return taken


def merge(totals: dict[str, float]) -> None:
    for phase, seconds in totals.items():
        _cpu[phase] = _cpu.get(phase, 0.0) + seconds


def write() -> None:
    if not ENABLED:
        return
    data = {"wall": {k: round(v, 4) for k, v in _wall.items()}, "cpu": {k: round(v, 4) for k, v in _cpu.items()}}
    try:
        with open(TARGET, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2)
    except OSError:
        pass  # a profile is a measurement aid: never the reason a run fails
