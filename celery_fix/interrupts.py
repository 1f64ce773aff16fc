"""Ctrl-C and SIGTERM end a run with one line and the shell's exit codes (130, 143).

SIGTERM is turned into an exception in the main process, so that the same unwinding as for Ctrl-C
runs: worker pools terminate their workers (engine/pool.py), a write or cache entry under way
removes its temp file (each file is left old or new, never half-written)."""

from __future__ import annotations

import os
import signal
import sys
from typing import Callable, NoReturn

from celery_fix.engine import tempfiles

EXIT_SIGINT, EXIT_SIGTERM = 128 + signal.SIGINT, 128 + signal.SIGTERM


class Terminated(BaseException):
    """SIGTERM, raised where the main process is (a BaseException: no `except Exception` eats it)."""


def _on_sigterm(signum, frame) -> None:
    raise Terminated


def run_interruptible(run: Callable[[], int]) -> int:
    """`run()`'s exit code; on SIGINT/SIGTERM the process ends here with 130/143."""
    try:
        previous = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
        signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread (an embedding program): leave signals to it
        return run()
    try:
        return run()
    except BaseException as error:
        signalled = _signal_behind(error)
        if signalled is KeyboardInterrupt:
            return _stopped("interrupted", EXIT_SIGINT)
        if signalled is Terminated:
            return _stopped("terminated", EXIT_SIGTERM)
        raise
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _signal_behind(error: BaseException | None) -> type | None:
    """KeyboardInterrupt or Terminated when `error` is one or was raised while one was being handled:
    a signal that lands during an import can surface as another exception chained to it."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, (KeyboardInterrupt, Terminated)):
            return type(error)
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return None


def _stopped(what: str, code: int) -> NoReturn:
    # from here on signals are ignored: a second Ctrl-C while we print must not turn into a
    # traceback, nor one arriving during interpreter shutdown (which restores the default
    # actions) into death by signal instead of our exit code; hence the exit without shutdown
    # (the workers are ended already, the output is flushed here)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    tempfiles.remove_live()
    try:
        sys.stdout.flush()
        sys.stderr.write(f"celery-fix: {what}; files not yet written are unchanged\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(code)
