from datetime import timedelta

from celery.schedules import crontab

CELERY_BEAT_SCHEDULE = {
    "report": {
        "task": "shop.tasks.report",
        "schedule": crontab(minute=0, hour="*/4"),
        "options": {"queue": "reports", "expires": 4 * 60 * 60},
    },
    "exploded-options": {
        "task": "shop.tasks.exploded",
        "schedule": timedelta(seconds=90),
        "options": {
            "queue": "slow",
            "priority": 5,
            "expires": 90,
        },
    },
    "dict-options": {
        "task": "shop.tasks.dict_options",
        "schedule": 120,
        "options": dict(queue="fast", expires=2 * 60),
    },
    "empty-options": {"task": "shop.tasks.empty", "schedule": 45, "options": {"expires": 45}},
}
