import datetime

from celery.schedules import crontab

CELERY_BEAT_SCHEDULE = {
    "delete-empty-allocations": {
        "task": "shop.warehouse.tasks.delete_empty_allocations_task",
        "schedule": datetime.timedelta(hours=2),
        "options": {"expires": 2 * 60 * 60},
    },
    "every-ten-minutes": {
        "task": "shop.payment.tasks.release_funds",
        "schedule": datetime.timedelta(minutes=10),  # no trailing comma
        "options": {"expires": 10 * 60}
    },
    "quarter-hours": {
        "task": "shop.tasks.report",
        # every quarter of an hour during office hours
        "schedule": crontab(minute="*/15", hour="9-17"),  # keep this comment
        "options": {"expires": 15 * 60},
    },
    "hanging": {"task": "shop.tasks.hanging",
                "schedule": 600,
                "options": {"expires": 10 * 60}},
}
