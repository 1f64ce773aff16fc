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
    # a module the index has not seen (renamed, or outside the paths checked): reported only when the
    # index says it covers the whole project (tests/test_beat_index_rules.py)
    "moved": {"task": "project_tasks.stock.sync_stock", "schedule": timedelta(minutes=5)},
    "explicit-typo": {"task": "send_digest", "schedule": crontab(hour=7, minute=0)},
    # a function missing from a module whose tasks the index knows
    "renamed-function": {"task": "project_tasks.synchronise_stock", "schedule": timedelta(minutes=5)},
    # Celery's built-ins and other libraries' tasks are not the project's
    "cleanup": {"task": "celery.backend_cleanup", "schedule": crontab(hour=4, minute=0)},
    "mail": {"task": "post_office.tasks.send_queued_mail", "schedule": 600},
    "other-service": {"task": "billing.tasks.invoice", "schedule": 600},
    "noqa": {"task": "project_tasks.sync_stok", "schedule": 60},  # noqa: CEL804
}
