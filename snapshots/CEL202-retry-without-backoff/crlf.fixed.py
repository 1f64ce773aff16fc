from celery import shared_task


@shared_task(
    autoretry_for=(IOError,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
)
def windows_file():
    pass
