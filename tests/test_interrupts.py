"""Ctrl-C and SIGTERM during `--apply` on a large tree: exit 130/143 with one line, no temp file
left, every file either as it was or fully fixed, no worker process left behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

TASK = "from celery import shared_task\n\n\n@shared_task(autoretry_for=(IOError,))\ndef sync_{i}(pk):\n    return pk\n"
FILES = 1200


@pytest.fixture(scope="module")
def trees(tmp_path_factory):
    original = tmp_path_factory.mktemp("tree") / "proj"
    for i in range(FILES):
        package = original / f"app{i // 50}"
        package.mkdir(parents=True, exist_ok=True)
        (package / "__init__.py").touch()
        (package / f"tasks_{i}.py").write_text(TASK.format(i=i))
    (original / "pyproject.toml").write_text("[tool.celery-fix]\nselect = [\"CEL202\"]\n")
    fixed = tmp_path_factory.mktemp("fixed") / "proj"
    shutil.copytree(original, fixed)
    done = subprocess.run([sys.executable, "-m", "celery_fix", "--apply", "--no-cache", "-q", str(fixed)], capture_output=True)
    assert done.returncode == 0, done.stderr
    return original, fixed


def leftovers(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.startswith((".celery-fix-", ".tmp-")) and p.is_file()]


@pytest.mark.parametrize("signum, code, delay", [
    (signal.SIGINT, 130, 0.8), (signal.SIGINT, 130, 2.0), (signal.SIGTERM, 143, 1.2), (signal.SIGTERM, 143, 2.5),
])
def test_interrupted_apply(trees, tmp_path, signum, code, delay):
    original, fixed = trees
    work = tmp_path / "proj"
    shutil.copytree(original, work)
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery_fix", "--apply", "-q", str(work)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )
    time.sleep(delay)
    if signum == signal.SIGINT:
        os.killpg(proc.pid, signum)  # what the terminal does: the whole process group
    else:
        proc.send_signal(signum)  # a supervisor stopping the main process only
    _, err = proc.communicate(timeout=60)
    if proc.returncode in (0, 1):
        pytest.skip("the run finished before the signal")
    assert proc.returncode == code, err
    assert b"Traceback" not in err and len(err.decode().strip().splitlines()) == 1
    assert not leftovers(work)
    for path in work.rglob("*.py"):
        relative = path.relative_to(work)
        assert path.read_bytes() in ((original / relative).read_bytes(), (fixed / relative).read_bytes())
    time.sleep(0.5)
    alive = subprocess.run(["pgrep", "-s", str(proc.pid)], capture_output=True, text=True).stdout.split()
    assert not alive, f"processes left: {alive}"
