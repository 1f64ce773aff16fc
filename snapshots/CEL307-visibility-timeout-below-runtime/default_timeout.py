from celery import shared_task

INSTALLED_APPS = ["shop"]  # a Django settings module
CELERY_BROKER_URL = "sqs://"


@shared_task(acks_late=True)
def late_without_limit():
    pass
