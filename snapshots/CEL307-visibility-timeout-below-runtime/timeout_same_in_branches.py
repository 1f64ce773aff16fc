# settings.py: a visibility timeout every branch writes the same is known after the `if`
import os

from celery import shared_task

INSTALLED_APPS = ["shop"]  # a Django settings module
DEBUG = os.environ.get("DEBUG") == "1"
CELERY_BROKER_URL = "redis://cache:6379/0"
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_connections": 20}
if DEBUG:
    CELERY_BROKER_TRANSPORT_OPTIONS.update(visibility_timeout=600)
else:
    CELERY_BROKER_TRANSPORT_OPTIONS.update(visibility_timeout=600)


@shared_task(time_limit=1800)
def rebuild_index():
    pass
