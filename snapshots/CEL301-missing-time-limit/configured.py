from celery import shared_task


@shared_task
def hard_only():
    pass
