"""How many worker processes a run uses (celery_fix/engine/jobs.py)."""

from __future__ import annotations

import os

from celery_fix.engine import jobs


def test_the_default_is_the_cpu_count(monkeypatch):
    # measured on an idle 2-core machine, cold: saleor 3.1-3.5 s with two workers against 4.5-4.9 s with one,
    # paperless-ngx 2.5-2.9 s against 4.2 s (a default by load average throttled back-to-back runs by their own load)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert jobs.worker_count(None) == 4


def test_an_explicit_count_is_capped_at_the_cpus(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert jobs.worker_count(10**20) == 2 and jobs.worker_count(1) == 1
