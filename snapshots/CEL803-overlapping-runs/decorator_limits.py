from datetime import timedelta

from celery import shared_task
from celery.schedules import crontab, solar
from celery_once import QueueOnce

LIMIT = 20 * 60


@shared_task(name="shop.sync", time_limit=15 * 60)
def sync():
    pass


@shared_task(name="shop.quick", time_limit=60, soft_time_limit=50)
def quick():
    pass


@shared_task(name="shop.soft", soft_time_limit=10 * 60)
def soft():
    pass


@shared_task(name="shop.constant", time_limit=LIMIT)
def constant():
    pass


@shared_task(name="shop.computed", time_limit=get_limit())
def computed():
    pass


@shared_task(name="shop.locked", base=QueueOnce, time_limit=60 * 60)
def locked():
    pass


@shared_task(name="shop.unlimited")
def unlimited():
    pass


CELERY_BEAT_SCHEDULE = {
    # 15 min limit on a 5 min interval
    "sync": {"task": "shop.sync", "schedule": timedelta(minutes=5)},
    # exactly the interval: a run that uses all its time overlaps the next
    "sync-quarter": {"task": "shop.sync", "schedule": 15 * 60},
    "sync-crontab": {"task": "shop.sync", "schedule": crontab(minute="*/10")},
    "sync-hourly": {"task": "shop.sync", "schedule": crontab(minute=0)},
    "quick": {"task": "shop.quick", "schedule": timedelta(minutes=5)},
    "quick-too-often": {"task": "shop.quick", "schedule": 30.0},
    "soft": {"task": "shop.soft", "schedule": timedelta(minutes=5)},
    "constant": {"task": "shop.constant", "schedule": timedelta(minutes=10)},
    "computed": {"task": "shop.computed", "schedule": timedelta(minutes=10)},
    "locked": {"task": "shop.locked", "schedule": timedelta(minutes=10)},
    # the decorator sets no limit: a base class or the global setting might (not known here)
    "unlimited": {"task": "shop.unlimited", "schedule": timedelta(minutes=1)},
    # the entry's own options override the task's
    "sync-short": {"task": "shop.sync", "schedule": timedelta(minutes=5), "options": {"time_limit": 4 * 60}},
    "quick-long": {"task": "shop.quick", "schedule": timedelta(minutes=5), "options": {"time_limit": 600}},
    "sunrise": {"task": "shop.sync", "schedule": solar("sunrise", 0, 0)},
    # a task defined elsewhere: nothing known without the index
    "elsewhere": {"task": "shop.tasks.elsewhere", "schedule": 60},
    "noqa": {"task": "shop.sync", "schedule": 60},  # noqa: CEL803
}
