# settings.py: a visibility timeout written into the options in one `if` branch only is unknown
# (it may or may not be set); the task's limit cannot be compared with it
import os

from celery import shared_task

INSTALLED_APPS = ["shop"]  # a Django settings module
DEBUG = os.environ.get("DEBUG") == "1"
CELERY_BROKER_URL = "redis://cache:6379/0"
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 7200}
if DEBUG:
    CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = 600


@shared_task(time_limit=1800)
def rebuild_index():
    pass
