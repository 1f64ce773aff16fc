# settings.py of a Django project: the global limit applies to every task without its own
from datetime import timedelta

from celery import shared_task

INSTALLED_APPS = ["django.contrib.auth", "shop"]
CELERY_TASK_TIME_LIMIT = 30 * 60


@shared_task
def index_documents():
    pass


@shared_task(time_limit=60)
def check_mail():
    pass


CELERY_BEAT_SCHEDULE = {
    "index": {"task": "global_setting.index_documents", "schedule": timedelta(minutes=10)},
    "index-daily": {"task": "global_setting.index_documents", "schedule": timedelta(hours=1)},
    "mail": {"task": "global_setting.check_mail", "schedule": timedelta(minutes=10)},
}
