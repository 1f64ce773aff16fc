import datetime
from datetime import timedelta

from celery.schedules import schedule

DAY = 60 * 60 * 24

CELERY_BEAT_SCHEDULE = {
    "days": {"task": "shop.tasks.a", "schedule": datetime.timedelta(days=1)},
    "hours": {"task": "shop.tasks.b", "schedule": timedelta(hours=24)},
    "seconds": {"task": "shop.tasks.c", "schedule": 86400},
    "product": {"task": "shop.tasks.d", "schedule": 60 * 60 * 24},
    "constant": {"task": "shop.tasks.e", "schedule": DAY},
    "weekly": {"task": "shop.tasks.f", "schedule": schedule(run_every=timedelta(weeks=1))},
}
