from celery import shared_task

INSTALLED_APPS = ["shop"]  # a Django settings module
CELERY_TASK_TIME_LIMIT = 600


@shared_task
def covered_by_setting():
    pass
