from datetime import timedelta

from celery.schedules import crontab

CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "shop.tasks.heartbeat", "schedule": 30.0, "options": {"expires": 30}},
    "sync-stock": {"task": "shop.tasks.sync_stock", "schedule": timedelta(minutes=5), "options": {"expires": 5 * 60}},
    "hourly": {"task": "shop.tasks.hourly", "schedule": crontab(minute=0), "options": {"expires": 60 * 60}},
    "nightly": {'task': 'shop.tasks.nightly', 'schedule': crontab(hour=3, minute=30), 'options': {'expires': 24 * 60 * 60}},
    "odd": {"task": "shop.tasks.odd", "schedule": 2.5, "options": {"expires": 2}},
}
