from celery.schedules import crontab

CELERY_BEAT_SCHEDULE = {
    "nightly": {"task": "shop.tasks.a", "schedule": crontab(hour=3, minute=0)},
    "window": {"task": "shop.tasks.b", "schedule": crontab(minute="*", hour="9-17")},
    "positional": {"task": "shop.tasks.c", "schedule": crontab("0", "3")},
    "every-minute": {"task": "shop.tasks.d", "schedule": crontab()},
    "star-hour": {"task": "shop.tasks.e", "schedule": crontab(hour="*")},
    "spread": {"task": "shop.tasks.f", "schedule": crontab(**CRON)},
}
