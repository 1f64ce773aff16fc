"""The cache is pruned at most once a day: entries and other versions' directories unused for a month go."""

from __future__ import annotations

import os
import time

from celery_fix.engine.cache_prune import EVERY_SECONDS, STAMP, UNUSED_SECONDS, prune_now_and_then

from click.testing import CliRunner

from celery_fix.cli import main

DAY = 24 * 3600


def _aged(path, seconds_ago, now):
    os.utime(path, (now - seconds_ago, now - seconds_ago))


def _version_dir(top, name="0.1.0-0123456789abcdef"):
    directory = top / name
    (directory / "ab").mkdir(parents=True)
    return directory


def test_a_new_cache_starts_its_clock_and_prunes_nothing(tmp_path):
    now = time.time()
    directory = _version_dir(tmp_path)
    old = directory / "ab" / "ab12"
    old.write_text("{}")
    _aged(old, UNUSED_SECONDS + DAY, now)
    assert not prune_now_and_then(directory, now)
    assert old.exists() and (directory / STAMP).exists()


def test_entries_unused_for_a_month_go_recent_ones_stay(tmp_path):
    now = time.time()
    directory = _version_dir(tmp_path)
    (directory / STAMP).touch()
    _aged(directory / STAMP, EVERY_SECONDS + 1, now)
    old, recent, read_lately = (directory / "ab" / name for name in ("ab1", "ab2", "ab3"))
    for entry in (old, recent, read_lately):
        entry.write_text("{}")
    _aged(old, UNUSED_SECONDS + DAY, now)
    _aged(recent, DAY, now)
    os.utime(read_lately, (now - DAY, now - UNUSED_SECONDS - DAY))  # written long ago, read yesterday
    assert prune_now_and_then(directory, now)
    assert not old.exists() and recent.exists() and read_lately.exists()


def test_at_most_once_a_day(tmp_path):
    now = time.time()
    directory = _version_dir(tmp_path)
    (directory / STAMP).touch()
    _aged(directory / STAMP, EVERY_SECONDS - 60, now)
    old = directory / "ab" / "ab1"
    old.write_text("{}")
    _aged(old, UNUSED_SECONDS + DAY, now)
    assert not prune_now_and_then(directory, now)
    assert old.exists()
    assert prune_now_and_then(directory, now + 120)  # the stamp was not moved by the early run
    assert not old.exists()


def test_other_versions_unused_for_a_month_go_and_nothing_else(tmp_path):
    now = time.time()
    current = _version_dir(tmp_path, "0.2.0-00000000000000aa")
    (current / STAMP).touch()
    _aged(current / STAMP, EVERY_SECONDS + 1, now)
    stale = _version_dir(tmp_path, "0.1.0-00000000000000bb")
    (stale / STAMP).touch()
    _aged(stale / STAMP, UNUSED_SECONDS + DAY, now)
    used = _version_dir(tmp_path, "0.1.0-00000000000000cc")
    (used / STAMP).touch()
    _aged(used / STAMP, DAY, now)
    foreign = tmp_path / "someone-elses"  # CELERY_FIX_CACHE_DIR may name a shared directory
    foreign.mkdir()
    _aged(foreign, UNUSED_SECONDS + DAY, now)
    (tmp_path / ".gitignore").write_text("*\n")
    assert prune_now_and_then(current, now)
    assert not stale.exists()
    assert used.exists() and foreign.exists() and (tmp_path / ".gitignore").exists() and current.exists()


def test_a_run_with_the_cache_prunes_it(tmp_path, monkeypatch):
    project = tmp_path / "proj"
    project.mkdir()
    (project / "pyproject.toml").write_text("[tool.celery-fix]\n")
    (project / "tasks.py").write_text("from celery import shared_task\n\n\n@shared_task\ndef f():\n    pass\n")
    top = tmp_path / "cache"
    monkeypatch.setenv("CELERY_FIX_CACHE_DIR", str(top))
    monkeypatch.chdir(project)
    CliRunner(mix_stderr=False).invoke(main, ["."], catch_exceptions=False)
    (directory,) = [d for d in top.iterdir() if d.is_dir()]
    assert (directory / STAMP).exists()
    now = time.time()
    (directory / "00").mkdir(exist_ok=True)
    stale = directory / "00" / ("00" + "0" * 38)  # an entry of a tree state long gone
    stale.write_text("{}")
    _aged(stale, UNUSED_SECONDS + DAY, now)
    _aged(directory / STAMP, EVERY_SECONDS + 60, now)
    result = CliRunner(mix_stderr=False).invoke(main, ["."], catch_exceptions=False)
    assert result.exit_code == 1 and "CEL401" in result.output, result.output  # a normal run
    assert not stale.exists()
    assert time.time() - (directory / STAMP).stat().st_mtime < 60


def test_a_missing_cache_directory_is_no_error(tmp_path):
    assert not prune_now_and_then(tmp_path / "0.1.0-0123456789abcdef")
    assert not (tmp_path / "0.1.0-0123456789abcdef").exists()
