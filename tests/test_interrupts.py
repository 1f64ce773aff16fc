"""Ctrl-C and SIGTERM during a run over ~1600 fixable files (issue 17): exit 130/143 with one line,
no traceback, workers ended, no temp file left (source tree and cache), each file old or new."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_bad_input import FIXED_LINE, TASK

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and process groups")

FILES = 1600  # ~2000 as the issue asks, sized to keep this test near 20 s on 2 shared cores


def make_tree(root: Path) -> list[Path]:
    (root / "pyproject.toml").write_text('[tool.celery-fix]\nselect = ["CEL701"]\n')
    paths = []
    for package in range(20):
        directory = root / f"p{package:02d}"
        directory.mkdir()
        (directory / "__init__.py").write_text("")
        for number in range(FILES // 20):
            path = directory / f"m{number:03d}.py"
            path.write_text(TASK.replace("def t(", f"def t{number}(").replace("t.delay", f"t{number}.delay"))
            paths.append(path)
    return paths


def start(root: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        # -j2: workers whatever the load (the default takes only the idle cores)
        [sys.executable, "-m", "celery_fix", "--apply", "-q", "-j2", *args, "."], cwd=root,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,  # its own process group
    )


def children_of(pid: int) -> list[int]:
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    found = []
    for task in tasks:
        try:
            found += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
        except OSError:
            pass
    return found


def wait_until(condition, process: subprocess.Popen, limit: float = 60.0) -> set[int]:
    """Poll `condition` until true; the process's workers seen meanwhile."""
    workers: set[int] = set()
    deadline = time.monotonic() + limit
    while not condition():
        workers.update(children_of(process.pid))
        assert process.poll() is None, "the run ended before the signal"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    return workers


def check_stopped(root: Path, paths: list[Path], process: subprocess.Popen, code: int, workers: set[int]) -> int:
    _, err = process.communicate(timeout=30)
    assert process.returncode == code, err
    lines = err.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("celery-fix: "), err  # one line, no traceback
    time.sleep(0.2)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists() and "Z" not in _state(pid)], "orphaned workers"
    leftovers = [p for p in root.rglob("*") if p.name.endswith((".tmp", ".celery-fix-tmp")) or p.name.startswith(".tmp-")]
    assert not leftovers
    fixed = 0
    for path in paths:
        text = path.read_text()
        number = path.stem[1:].lstrip("0") or "0"
        old = TASK.replace("def t(", f"def t{number}(").replace("t.delay", f"t{number}.delay")
        if text != old:
            assert FIXED_LINE.replace("t.delay", f"t{number}.delay") in text and "from functools import partial" in text.splitlines()
            compile(text, str(path), "exec")
            fixed += 1
    return fixed


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
def test_interrupts_leave_every_file_old_or_new(tmp_path):
    paths = make_tree(tmp_path)

    # Ctrl-C to the process group while the workers parse (no cache: they have work)
    process = start(tmp_path, "--no-cache")
    workers = wait_until(lambda: len(children_of(process.pid)) >= 1, process)
    time.sleep(0.3)
    workers.update(children_of(process.pid))
    os.killpg(process.pid, signal.SIGINT)
    assert check_stopped(tmp_path, paths, process, 130, workers) == 0

    # Ctrl-C while the fixes are being written: this run parses everything (filling the cache)
    process = start(tmp_path)
    workers = wait_until(lambda: paths[0].read_text() != TASK.replace("def t(", "def t0(").replace("t.delay", "t0.delay"), process, 120)
    os.killpg(process.pid, signal.SIGINT)
    first = check_stopped(tmp_path, paths, process, 130, workers)
    assert first < len(paths)

    # SIGTERM to the main process alone, later in the writing (the cache makes this run quick)
    process = start(tmp_path)
    target = paths[min(first + 200, len(paths) - 1)]
    before = target.read_text()
    workers = wait_until(lambda: target.read_text() != before, process)
    process.send_signal(signal.SIGTERM)
    second = check_stopped(tmp_path, paths, process, 143, workers)
    assert first < second <= len(paths)


@pytest.mark.parametrize(
    ("signal_exception", "code", "line"),
    [("KeyboardInterrupt", 130, "celery-fix: interrupted"), ("Terminated", 143, "celery-fix: terminated")],
)
def test_a_signal_wrapped_by_an_import_still_stops_the_run_cleanly(signal_exception, code, line):
    # a signal landing while a module is imported can surface as another exception chained to it
    program = (
        "from celery_fix.interrupts import Terminated, run_interruptible\n"
        "def run():\n"
        "    try:\n"
        f"        raise {signal_exception}\n"
        "    except BaseException as error:\n"
        "        raise RuntimeError('module import failed') from error\n"
        "run_interruptible(run)\n"
    )
    stopped = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=False)
    assert stopped.returncode == code
    assert stopped.stderr.startswith(line) and "Traceback" not in stopped.stderr


def test_an_error_without_a_signal_behind_it_is_not_taken_for_one():
    program = "from celery_fix.interrupts import run_interruptible\nrun_interruptible(lambda: 1 / 0)\n"
    failed = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=False)
    assert failed.returncode == 1 and "ZeroDivisionError" in failed.stderr
