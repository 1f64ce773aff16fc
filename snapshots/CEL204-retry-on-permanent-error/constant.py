from celery import shared_task

PERMANENT = (ValueError,)
TRANSIENT = (ConnectionError, TimeoutError)


@shared_task(autoretry_for=PERMANENT)
def constant(sku): ...


@shared_task(autoretry_for=TRANSIENT)
def fine(sku): ...
