# settings.py of a Django project: a limit set differently in `if`/`else` branches is unknown
# (not the last branch's); one set the same in every branch is the global ceiling
import os
from datetime import timedelta

from celery import shared_task

INSTALLED_APPS = ["django.contrib.auth", "shop"]
DEBUG = os.environ.get("DEBUG") == "1"

if DEBUG:
    CELERY_TASK_TIME_LIMIT = 60
    CELERY_TASK_SOFT_TIME_LIMIT = 20 * 60
else:
    CELERY_TASK_TIME_LIMIT = 30 * 60
    CELERY_TASK_SOFT_TIME_LIMIT = 20 * 60


@shared_task
def index_documents():
    pass


CELERY_BEAT_SCHEDULE = {
    "index": {"task": "global_setting_in_branches.index_documents", "schedule": timedelta(minutes=10)},
    "index-hourly": {"task": "global_setting_in_branches.index_documents", "schedule": timedelta(hours=1)},
}
