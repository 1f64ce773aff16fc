from celery import shared_task


@shared_task(autoretry_for=(IOError,))
def with_bom():
    pass
