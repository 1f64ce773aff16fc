from datetime import timedelta

from celery.schedules import crontab

CELERY_BEAT_SCHEDULE = {
    "report": {
        "task": "shop.tasks.report",
        "schedule": crontab(minute=0, hour="*/4"),
        "options": {"queue": "reports"},
    },
    "exploded-options": {
        "task": "shop.tasks.exploded",
        "schedule": timedelta(seconds=90),
        "options": {
            "queue": "slow",
            "priority": 5,
        },
    },
    "dict-options": {
        "task": "shop.tasks.dict_options",
        "schedule": 120,
        "options": dict(queue="fast"),
    },
    "empty-options": {"task": "shop.tasks.empty", "schedule": 45, "options": {}},
}
