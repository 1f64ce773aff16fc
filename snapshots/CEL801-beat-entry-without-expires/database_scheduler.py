from datetime import timedelta

from celery.schedules import crontab

CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "shop.tasks.heartbeat", "schedule": 30.0},
    "nightly": {
        "task": "shop.tasks.nightly",
        "schedule": crontab(hour=1, minute=0),
        "options": {"queue": "slow"},
    },
    "dropped": {"task": "shop.tasks.dropped", "schedule": timedelta(minutes=1), "options": {"expires": 60}},
    "dropped-float": {"task": "shop.tasks.dropped_float", "schedule": 60, "options": {"expires": 59.5}},
    "fine": {"task": "shop.tasks.fine", "schedule": 60, "options": {"expire_seconds": 60}},
}
