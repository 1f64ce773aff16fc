"""How many worker processes a run uses: light to import (engine/pool.py, which starts them,
loads multiprocessing, only when a pool is needed)."""

from __future__ import annotations

import os


def worker_count(jobs: int | None) -> int:
    """`-j N` capped at the CPU count: more processes than cores only adds start-up and switching
    (and `-j 10**20` must not reach the pool)."""
    cpus = os.cpu_count() or 1
    return max(1, min(jobs or cpus, cpus))


def default_jobs() -> int:
    """The worker processes of a run without `-j`: the cores other processes leave idle (by the
    1-minute load average), at least one. On a busy machine the pools only add their start-up
    and the copying of facts and results: measured on saleor and paperless-ngx at a load of 4 on
    2 cores, two workers took 10-20% more CPU and up to 1.4x the wall time of one (issue 18)."""
    cpus = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (OSError, AttributeError):  # not on this platform
        return cpus
    return max(1, min(cpus, cpus - int(load + 0.5)))
