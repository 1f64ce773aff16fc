"""The cyclic garbage collector off while one file is parsed and checked.

A parse builds hundreds of thousands of objects; each full collection the allocations set off
walks all of them, so a module with thousands of tasks cost quadratic time (2k/4k/8k tasks:
17/34/98 s). Trees hold no reference cycles to speak of: they are freed by reference counting
when the file is done, and the collector runs as usual between files."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# allocations between young collections: libcst and `ast` build objects by the hundred thousand,
# and at CPython's default (700) most young collections find nothing to free
YOUNG_THRESHOLD = 50_000


def settle_heap() -> None:
    """For a worker process: what the fork inherited (modules, the sources) is never garbage, so
    collections skip it from now on. Otherwise every full collection walks it and, writing to each
    object's header, copies the parent's memory page by page (saleor: 1.2 -> 0.5 s of collection
    over the workers of a cold run)."""
    gc.freeze()


@contextmanager
def quiet_collector() -> Iterator[None]:
    """For the main process during one run: the objects alive at the start (imported modules)
    are set aside, and young collections run less often; both are undone at the end (a test
    session runs many runs in one process)."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(threshold[0], YOUNG_THRESHOLD), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()
