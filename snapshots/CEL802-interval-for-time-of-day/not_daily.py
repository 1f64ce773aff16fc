from datetime import timedelta

from celery.schedules import crontab

CELERY_BEAT_SCHEDULE = {
    "hourly": {"task": "shop.tasks.a", "schedule": timedelta(hours=1)},
    "twelve-hours": {"task": "shop.tasks.b", "schedule": timedelta(hours=12)},
    "thirty-hours": {"task": "shop.tasks.c", "schedule": timedelta(hours=30)},
    "crontab": {"task": "shop.tasks.d", "schedule": crontab(hour=3, minute=0)},
    "from-env": {"task": "shop.tasks.e", "schedule": timedelta(seconds=get_period())},
}
RESULT_EXPIRES = timedelta(days=1)
