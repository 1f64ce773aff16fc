"""How many worker processes a run uses (celery_fix/engine/jobs.py)."""

from __future__ import annotations

import os

import pytest

from celery_fix.engine import jobs


@pytest.mark.parametrize(("cpus", "load", "expected"), [
    (2, 0.1, 2),  # idle: every core
    (2, 1.2, 1),  # one core busy elsewhere: one worker, i.e. no pool
    (2, 4.6, 1),  # a loaded machine still runs
    (8, 2.4, 6),
])
def test_the_default_takes_the_idle_cores(monkeypatch, cpus, load, expected):
    monkeypatch.setattr(os, "cpu_count", lambda: cpus)
    monkeypatch.setattr(os, "getloadavg", lambda: (load, load, load))
    assert jobs.default_jobs() == expected


def test_without_a_load_average_the_default_is_the_cpu_count(monkeypatch):
    def unavailable():
        raise OSError("no load average")

    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    monkeypatch.setattr(os, "getloadavg", unavailable)
    assert jobs.default_jobs() == 4


def test_an_explicit_count_is_capped_at_the_cpus(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert jobs.worker_count(10**20) == 2 and jobs.worker_count(1) == 1
