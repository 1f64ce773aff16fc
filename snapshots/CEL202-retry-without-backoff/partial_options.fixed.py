from celery import shared_task


@shared_task(
    autoretry_for=(IOError,),
    retry_backoff_max=120,
    retry_backoff=True,
    retry_jitter=True,
)
def with_max():
    pass


@shared_task(
    autoretry_for=(IOError,),
    retry_jitter=False,
    retry_backoff=True,
    retry_backoff_max=600,
)
def without_jitter():
    pass


@shared_task(autoretry_for=(IOError,), retry_backoff=5)
def already_backing_off():
    pass


@shared_task(autoretry_for=(IOError,), retry_backoff=False)
def explicitly_off():
    pass
