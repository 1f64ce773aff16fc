"""Worker processes that end with the run: Ctrl-C goes to the main process only (workers ignore
SIGINT, so they print no tracebacks of their own), and when the main process stops for any reason
its workers are terminated at once rather than finishing the queue, or outliving it."""

from __future__ import annotations

import ctypes
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context
from typing import Any, Callable

from celery_fix.engine import tempfiles
from celery_fix.engine.gcpause import settle_heap
from celery_fix.engine.jobs import worker_count

_PR_SET_PDEATHSIG = 1


class WorkerPool(ProcessPoolExecutor):
    def __init__(self, max_workers: int | None = None, mp_context: Any = None,
                 initializer: Callable | None = None, initargs: tuple = ()) -> None:
        if mp_context is None and "fork" in get_all_start_methods():
            mp_context = get_context("fork")  # workers inherit the loaded rules and sources; spawn redoes it all
        super().__init__(
            max_workers=worker_count(max_workers), mp_context=mp_context,
            initializer=_start_worker, initargs=(initializer, initargs),
        )

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            return super().__exit__(exc_type, exc, tb)
        self.terminate()
        return False

    def terminate(self) -> None:
        processes = list((getattr(self, "_processes", None) or {}).values())
        self.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(timeout=5)


def _leave(signum, frame) -> None:
    # exit at once: the pool's worker loop would catch an exception and take the next item
    tempfiles.remove_live()
    os._exit(143)


def _start_worker(initializer: Callable | None, initargs: tuple) -> None:
    settle_heap()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process handles Ctrl-C and ends us
    signal.signal(signal.SIGTERM, _leave)  # stopped: remove a half-written cache entry, then go
    try:  # Linux: end with the main process even when it is killed outright
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass
    if initializer is not None:
        initializer(*initargs)
