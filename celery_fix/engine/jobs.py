"""How many worker processes a run uses: light to import (engine/pool.py, which starts them,
loads multiprocessing, only when a pool is needed)."""

from __future__ import annotations

import os


def worker_count(jobs: int | None) -> int:
    """`-j N` capped at the CPU count: more processes than cores only adds start-up and switching
    (and `-j 10**20` must not reach the pool)."""
    cpus = os.cpu_count() or 1
    return max(1, min(jobs or cpus, cpus))

