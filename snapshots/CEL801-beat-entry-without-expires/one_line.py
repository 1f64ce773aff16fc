from datetime import timedelta

from celery.schedules import crontab

CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "shop.tasks.heartbeat", "schedule": 30.0},
    "sync-stock": {"task": "shop.tasks.sync_stock", "schedule": timedelta(minutes=5)},
    "hourly": {"task": "shop.tasks.hourly", "schedule": crontab(minute=0)},
    "nightly": {'task': 'shop.tasks.nightly', 'schedule': crontab(hour=3, minute=30)},
    "odd": {"task": "shop.tasks.odd", "schedule": 2.5},
}
