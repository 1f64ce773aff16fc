from celery.schedules import crontab

a = crontab(hour=3)  # noqa: CEL806
b = crontab(hour=4, minute=0)
