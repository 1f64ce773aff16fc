import datetime

from celery.schedules import crontab

CELERY_BEAT_SCHEDULE = {
    "delete-empty-allocations": {
        "task": "shop.warehouse.tasks.delete_empty_allocations_task",
        "schedule": datetime.timedelta(hours=2),
    },
    "every-ten-minutes": {
        "task": "shop.payment.tasks.release_funds",
        "schedule": datetime.timedelta(minutes=10)  # no trailing comma
    },
    "quarter-hours": {
        "task": "shop.tasks.report",
        # every quarter of an hour during office hours
        "schedule": crontab(minute="*/15", hour="9-17"),  # keep this comment
    },
    "hanging": {"task": "shop.tasks.hanging",
                "schedule": 600},
}
