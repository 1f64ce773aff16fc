from celery import shared_task

INSTALLED_APPS = ["shop"]  # a Django settings module
CELERY_TASK_TIME_LIMIT = 300


@shared_task(soft_time_limit=600)
def soft_above_global_hard():
    pass
