import libcst as cst
from fixit import Invalid, Valid

from celery_fix.ruleset import base as rule
from celery_fix.constructs.beat_label import entry_label
from celery_fix.constructs.beat import module_entries

DAY = 86400


class IntervalForTimeOfDayRule(rule.CeleryRule):
    """
    ## What it does
    Checks for beat entries that run daily or weekly on a fixed interval
    (`timedelta(days=1)`, `timedelta(hours=24)`, `86400`, `60 * 60 * 24`, `schedule(timedelta(weeks=1))`).

    ## Why is this bad?
    An interval counts from the entry's last run as beat remembers it; when that state is lost
    (a new container, a deleted `celerybeat-schedule` file, a new beat host) the count starts again
    from the moment beat starts. The nightly job then runs at whatever time the last deploy
    happened — in the middle of the business day. A `crontab` fires at a time of day.

    ## Example
    ```python
    CELERY_BEAT_SCHEDULE = {
        "cleanup": {"task": "shop.tasks.cleanup", "schedule": timedelta(days=1)},
    }
    ```

    ## Use instead
    ```python
    CELERY_BEAT_SCHEDULE = {
        "cleanup": {"task": "shop.tasks.cleanup", "schedule": crontab(hour=3, minute=0)},
    }
    ```

    ## Fix safety
    No fix: only the team knows which time of day the job should run at.
    """

    CODE = "CEL802"
    NAME = "interval-for-time-of-day"
    MESSAGE = "daily/weekly beat interval: it drifts with every restart of beat"
    HELP = "use `crontab(hour=..., minute=...)`"
    FIX_KIND = "lint"
    TRIGGERS = (b"BEAT_SCHEDULE", b"beat_schedule", b"add_periodic_task")
    READS_SCHEDULES = True

    VALID = [
        Valid(
            """
            from datetime import timedelta

            CELERY_BEAT_SCHEDULE = {"sync": {"task": "shop.tasks.sync", "schedule": timedelta(hours=1)}}
            """
        ),
        Valid(
            """
            from celery.schedules import crontab

            CELERY_BEAT_SCHEDULE = {"sync": {"task": "shop.tasks.sync", "schedule": crontab(hour=3, minute=0)}}
            """
        ),
        Valid(
            """
            from myproject.time import timedelta

            CELERY_BEAT_SCHEDULE = {"sync": {"task": "shop.tasks.sync", "schedule": timedelta(days=1)}}
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from datetime import timedelta

            CELERY_BEAT_SCHEDULE = {"sync": {"task": "shop.tasks.sync", "schedule": timedelta(days=1)}}
            """
        ),
        Invalid(
            """
            CELERY_BEAT_SCHEDULE = {"sync": {"task": "shop.tasks.sync", "schedule": 60 * 60 * 24}}
            """
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        for entry in module_entries(node, self.names, self.context):
            schedule = entry.schedule
            if schedule.kind not in ("timedelta", "number", "schedule") or schedule.period is None:
                continue
            if schedule.period < DAY or schedule.period % DAY:
                continue
            days = int(schedule.period // DAY)
            every = "day" if days == 1 else "week" if days == 7 else f"{days} days"
            self.report(entry.report_node, f"{entry_label(entry)} runs every {every} on an interval, which drifts with every restart")
