from celery import shared_task


@shared_task(time_limit=900)
def hard_only():
    pass
