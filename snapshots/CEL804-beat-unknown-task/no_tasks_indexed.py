# the index found no task at all (only the settings were checked): every name would look unknown
CELERY_BEAT_SCHEDULE = {
    "sync": {"task": "shop.tasks.sync_stock", "schedule": 300},
    "typo": {"task": "shop.tasks.sync_stok", "schedule": 300},
}
