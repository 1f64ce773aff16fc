from celery import shared_task

INSTALLED_APPS = ["shop"]  # a Django settings module
CELERY_BROKER_URL = "redis://cache:6379/0"
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 4 * 3600}


@shared_task(time_limit=1800)
def rebuild_index():
    pass
