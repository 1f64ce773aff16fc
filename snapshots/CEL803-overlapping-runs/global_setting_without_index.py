# the same settings without the index: the global limit is not known to the rule
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
    "index": {"task": "global_setting_without_index.index_documents", "schedule": timedelta(minutes=10)},
    "index-daily": {"task": "global_setting_without_index.index_documents", "schedule": timedelta(hours=1)},
    "mail": {"task": "global_setting_without_index.check_mail", "schedule": timedelta(minutes=10)},
}
