from celery import shared_task

INSTALLED_APPS = ["shop"]  # a Django settings module
CELERY_BROKER_URL = "amqp://guest@rabbit//"


@shared_task(time_limit=7200)
def long_task():
    pass
