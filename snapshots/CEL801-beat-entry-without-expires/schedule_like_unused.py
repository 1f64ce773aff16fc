from datetime import timedelta

# looks like a schedule, but no beat schedule is assembled from it
EXAMPLE_TASKS = {
    "sync-stock": {"task": "shop.tasks.sync_stock", "schedule": timedelta(minutes=5)},
}

INSTALLED_APPS = ["shop"]
CELERY_BEAT_SCHEDULE = {}
