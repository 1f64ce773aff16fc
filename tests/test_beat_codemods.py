"""celery_fix.constructs.beat helpers and the CEL801/CEL806 codemod commands (same output as the engine)."""

from __future__ import annotations

import pytest
from libcst.codemod import CodemodContext, TransformSuccess, transform_module

from celery_fix.constructs.beat import crontab_min_gap, seconds_source
from celery_fix.codemods import beat_expires, crontab_minute
from snapshot_harness import all_cases


@pytest.mark.parametrize("fields, expected", [
    ({"minute": 0}, 3600), ({"minute": "*/15"}, 900), ({"minute": 0, "hour": "*/4"}, 4 * 3600),
    ({"minute": "*/15", "hour": "9-17"}, 900), ({"minute": 0, "hour": "6,18"}, 12 * 3600),
    ({"minute": 0, "hour": 0, "day_of_week": "mon"}, 7 * 86400), ({"minute": 30, "hour": 7, "day_of_week": "mon-fri"}, 86400),
    ({"minute": 0, "hour": 0, "day_of_month": 1}, None), ({}, 60), ({"hour": 3}, 60), ({"minute": "x"}, None),
])
def test_crontab_min_gap(fields, expected):
    assert crontab_min_gap(fields) == expected


@pytest.mark.parametrize("seconds, text", [(30, "30"), (60, "60"), (90, "90"), (600, "10 * 60"), (3600, "60 * 60"),
                                           (86400, "24 * 60 * 60"), (7 * 86400, "7 * 24 * 60 * 60")])
def test_seconds_source(seconds, text):
    assert seconds_source(seconds) == text


SKIP = {"noqa", "database_scheduler", "scheduler_unknown", "add_periodic_task"}  # engine-only facts
# the engine wraps a statement its fix makes too long (the project's line length); the codemod does not
SKIP |= {"app_conf"}


@pytest.mark.parametrize("case", [c for c in all_cases() if c.code == "CEL801" and c.fixed_path.exists() and c.input.stem != "assembled_from_names"
                                  and c.input.stem not in SKIP], ids=lambda c: c.id)
def test_beat_expires_command_matches_engine(case):
    result = transform_module(beat_expires.BeatExpiresCommand(CodemodContext()), case.input.read_text())
    assert isinstance(result, TransformSuccess), result
    assert result.code == case.fixed_path.read_text()


@pytest.mark.parametrize("case", [c for c in all_cases() if c.code == "CEL806" and c.fixed_path.exists()
                                  and c.input.stem != "noqa"], ids=lambda c: c.id)
def test_crontab_minute_command_matches_engine(case):
    result = transform_module(crontab_minute.CrontabMinuteCommand(CodemodContext()), case.input.read_text())
    assert isinstance(result, TransformSuccess), result
    assert result.code == case.fixed_path.read_text()
