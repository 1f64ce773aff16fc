from datetime import timedelta

from celery import shared_task
from celery.schedules import crontab

CELERY_BEAT_SCHEDULE = {
    "with-expires": {"task": "shop.tasks.a", "schedule": 60, "options": {"expires": 60}},
    "expires-from-setting": {"task": "shop.tasks.b", "schedule": 60, "options": {"expires": EXPIRES}},
    "expire-seconds": {"task": "shop.tasks.c", "schedule": 60, "options": {"expire_seconds": 60}},
    "task-level": {"task": "valid.own_expiry", "schedule": timedelta(minutes=1)},
}

SCHEDULE = {"not-beat": {"task": "shop.tasks.x", "schedule": 60}}
ROUTES = {"shop.tasks.*": {"queue": "q"}}
BEAT_SCHEDULE_FILENAME_LIKE = {"celerybeat-schedule": "/tmp/x"}


@shared_task(expires=50)
def own_expiry():
    pass
