from datetime import timedelta

from celery import Task, shared_task
from celery.schedules import crontab

from shop.celery import app


@shared_task
def sync_stock():
    pass


@shared_task(name="send-digest")
def send_digest():
    '''Mail the daily digest (07:00, ~1 min; a skipped day is acceptable).'''


@shared_task
def not_scheduled():
    pass


@shared_task
def only_in_a_typo():
    pass


class Cleanup(Task):
    name = "shop.cleanup"

    def run(self):
        pass


app.register_task(Cleanup())

app.conf.beat_schedule = {
    "sync": {"task": "with_index.sync_stock", "schedule": timedelta(minutes=5)},
    "sync-night": {"task": "with_index.sync_stock", "schedule": crontab(hour=2, minute=0)},
    "digest": {"task": "send-digest", "schedule": crontab(hour=7, minute=0)},
    "typo": {"task": "with_index.only_in_a_typ", "schedule": 60},
    "cleanup": {"task": "shop.cleanup", "schedule": crontab(hour=4, minute=0)},
}
