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
