"""Worker process pools that end with the run: on Ctrl-C, SIGTERM or an error in the main process the
workers are stopped at once (not left to finish the queue, nor orphaned), and they print nothing of
their own when the terminal's Ctrl-C reaches the whole process group."""

from __future__ import annotations

import ctypes
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_all_start_methods, get_context
from typing import Callable, Iterator

from celery_fix.engine import tempfiles

MAX_JOBS = 64  # more processes than this only cost start-up time and memory


def job_count(jobs: int | None) -> int:
    cores = os.cpu_count() or 1
    return max(1, min(jobs or cores, MAX_JOBS))


def _leave(signum, frame) -> None:
    # exit at once: the pool's worker loop would catch an exception and take the next item
    tempfiles.remove_live()
    os._exit(143)


def _worker_start(initializer: Callable | None, initargs: tuple) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process handles it and stops us
    signal.signal(signal.SIGTERM, _leave)  # stopped: remove a half-written cache entry, then go
    try:  # Linux: die with the main process, even when it is killed outright
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if initializer is not None:
        initializer(*initargs)


@contextmanager
def worker_pool(jobs: int, initializer: Callable | None = None, initargs: tuple = ()) -> Iterator[ProcessPoolExecutor]:
    # fork: the workers inherit what the main process loaded (rules, sources); spawn would redo it
    context = get_context("fork") if "fork" in get_all_start_methods() else None
    pool = ProcessPoolExecutor(
        max_workers=job_count(jobs), mp_context=context, initializer=_worker_start, initargs=(initializer, initargs)
    )
    try:
        yield pool
    except BaseException:
        stop(pool)
        raise
    else:
        pool.shutdown(wait=True)


def stop(pool: ProcessPoolExecutor) -> None:
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        try:
            process.terminate()
        except (OSError, AttributeError):
            pass
    for process in processes:
        try:
            process.join(timeout=2)
            if process.is_alive():
                process.kill()
        except (OSError, AssertionError, AttributeError, ValueError):
            pass
