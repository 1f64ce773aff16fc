from datetime import timedelta

PERIODIC_TASKS = {
    "sync-stock": {"task": "shop.tasks.sync_stock", "schedule": timedelta(minutes=5), "options": {"expires": 5 * 60}},
}
NIGHTLY = {"report": {"task": "shop.tasks.report", "schedule": 3600, "options": {"expires": 60 * 60}}}

INSTALLED_APPS = ["shop"]
CELERY_BEAT_SCHEDULE = dict(PERIODIC_TASKS)
CELERY_BEAT_SCHEDULE |= NIGHTLY
