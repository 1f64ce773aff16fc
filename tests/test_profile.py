"""CELERY_FIX_PROFILE: per-phase figures of one run, written as JSON (bench/run.py reads them)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "shop"


def run_profiled(tmp_path: Path, *args: str) -> dict:
    target = tmp_path / "profile.json"
    env = {**os.environ, "CELERY_FIX_PROFILE": str(target)}
    done = subprocess.run([sys.executable, "-m", "celery_fix", *args], env=env, capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(target.read_text())


def test_a_cold_run_names_every_phase(tmp_path):
    profile = run_profiled(tmp_path, "--no-cache", "-j", "1", str(EXAMPLE))
    assert set(profile["wall"]) >= {"discover", "index: read, scan, parse", "index: link", "rules", "output"}
    assert {"rule parse", "rule walk"} <= set(profile["cpu"]) and profile["cpu"]["rule parse"] > 0
    assert all(seconds >= 0 for part in profile.values() for seconds in part.values())


def test_worker_processes_send_their_figures_back(tmp_path):
    # six copies of the shop: enough source for the rules' worker processes (runner.PARALLEL_BYTES)
    import shutil

    from celery_fix.engine.runner import PARALLEL_BYTES

    tree = tmp_path / "tree"
    for copy in range(6):
        shutil.copytree(EXAMPLE, tree / f"shop{copy}", ignore=shutil.ignore_patterns("__pycache__", ".celery-fix-cache"))
    assert sum(p.stat().st_size for p in tree.rglob("*.py")) > PARALLEL_BYTES
    serial = run_profiled(tmp_path, "--no-cache", "-j", "1", str(tree))
    parallel = run_profiled(tmp_path, "--no-cache", "-j", "2", str(tree))
    # the same files are parsed either way: the workers' parse time reaches the main process
    assert parallel["cpu"]["rule parse"] > 0.2 * serial["cpu"]["rule parse"]


def test_no_profile_without_the_variable(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "CELERY_FIX_PROFILE"}
    subprocess.run([sys.executable, "-m", "celery_fix", "--no-cache", str(EXAMPLE)], env=env, capture_output=True, cwd=tmp_path)
    assert not list(tmp_path.iterdir())
