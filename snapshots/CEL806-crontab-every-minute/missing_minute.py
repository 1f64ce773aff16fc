from celery import schedules
from celery.schedules import crontab

CELERY_BEAT_SCHEDULE = {
    "nightly": {"task": "shop.tasks.a", "schedule": crontab(hour=3)},
    "monday": {"task": "shop.tasks.b", "schedule": schedules.crontab(day_of_week="mon", hour=7)},
    "first-of-month": {
        "task": "shop.tasks.c",
        "schedule": crontab(
            hour=0,
            day_of_month=1,
        ),
    },
    "hours-step": {"task": "shop.tasks.d", "schedule": crontab(hour="*/3")},
}
