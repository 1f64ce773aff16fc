from datetime import timedelta

from celery import shared_task
from celery.schedules import crontab


@shared_task
def sync_stock():
    pass


@shared_task(name="send-digest")
def send_digest():
    pass


CELERY_BEAT_SCHEDULE = {
    "ok": {"task": "project_tasks.sync_stock", "schedule": timedelta(minutes=5)},
    "explicit-name": {"task": "send-digest", "schedule": crontab(hour=7, minute=0)},
    # a typo
    "typo": {"task": "project_tasks.sync_stok", "schedule": timedelta(minutes=5)},
    # the module was renamed (the task moved to project_tasks.py)
    "moved": {"task": "project_tasks.stock.sync_stock", "schedule": timedelta(minutes=5)},
    "explicit-typo": {"task": "send_digest", "schedule": crontab(hour=7, minute=0)},
    # Celery's built-ins and other libraries' tasks are not the project's
    "cleanup": {"task": "celery.backend_cleanup", "schedule": crontab(hour=4, minute=0)},
    "mail": {"task": "post_office.tasks.send_queued_mail", "schedule": 600},
    "other-service": {"task": "billing.tasks.invoice", "schedule": 600},
    "noqa": {"task": "project_tasks.sync_stok", "schedule": 60},  # noqa: CEL804
}
