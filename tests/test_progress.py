"""The progress bar: on a terminal's stderr only (tested through a pty), erased at the end;
nothing in pipes, CI, --quiet or machine formats."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from celery_fix.progress import ERASE, Bar

SHOP = Path(__file__).resolve().parent.parent / "examples" / "shop"
pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pty")


@pytest.fixture(scope="module")
def shop(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("progress") / "shop"
    shutil.copytree(SHOP, target)
    return target


def run(shop: Path, *args: str, tty: bool = True, **env: str) -> tuple[bytes, bytes]:
    """(stdout, stderr) of a run whose stderr is a pty (or a pipe); the bar shows at once."""
    environment = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR")}
    environment.update({"CELERY_FIX_PROGRESS_AFTER": "0", "TERM": "xterm", **env})
    command = [sys.executable, "-m", "celery_fix", "--no-cache", "-j", "1", *args]
    with open(shop.parent / "stdout", "w+b") as out:
        if not tty:
            done = subprocess.run(command, check=False, cwd=shop, stdout=out, stderr=subprocess.PIPE, env=environment, timeout=120)
            out.seek(0)
            return out.read(), done.stderr
        master, slave = os.openpty()
        process = subprocess.Popen(command, cwd=shop, stdout=out, stderr=slave, env=environment)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # the pty is closed when the process ends
                break
            if not data:
                break
            chunks.append(data)
        os.close(master)
        process.wait(timeout=120)
        out.seek(0)
        return out.read(), b"".join(chunks)


def test_a_terminal_gets_the_bar_and_it_is_erased(shop):
    stdout, stderr = run(shop, ".")
    text = stderr.decode()
    assert "celery-fix: indexing [" in text and "celery-fix: checking [" in text
    assert text.endswith(ERASE)  # nothing of the bar is left on the screen
    assert ERASE.encode() not in stdout and b"celery-fix: checking" not in stdout  # the findings are clean
    files = json.loads(run(shop, "--format", "json", ".", tty=False)[0])["summary"]["files"]
    last = re.findall(r"checking \[#+\] (\d+)/(\d+) files", text)[-1]
    assert last == (str(files), str(files))  # it counts every checked file


@pytest.mark.parametrize(
    "args, env, tty",
    [
        ((".",), {}, False),  # a pipe
        ((".",), {"CI": "true"}, True),
        (("-q", "."), {}, True),
        (("--format", "json", "."), {}, True),
        ((".",), {"TERM": "dumb"}, True),
    ],
)
def test_no_bar_in_pipes_ci_quiet_or_machine_formats(shop, args, env, tty):
    stdout, stderr = run(shop, *args, tty=tty, **env)
    assert b"celery-fix: indexing" not in stderr + stdout and b"\x1b[K" not in stderr + stdout
    assert stdout  # the run itself happened


def test_a_quick_run_draws_nothing():
    stream = io.StringIO()
    bar = Bar(stream, after=60)
    bar.stage("checking", 3)
    bar.advance(3)
    bar.close()
    assert stream.getvalue() == ""


def test_the_bar_line():
    stream = io.StringIO()
    bar = Bar(stream, after=0, interval=0)
    bar.stage("indexing", 4)
    bar.advance(1)
    assert stream.getvalue().endswith(ERASE + "celery-fix: indexing [######..................] 1/4 files")
    bar.advance(10)  # never past the total
    assert bar.line().endswith("4/4 files")
    bar.close()
    assert stream.getvalue().endswith(ERASE)
