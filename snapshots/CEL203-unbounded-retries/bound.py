from celery import shared_task


@shared_task(max_retries=10)
def ten(sku): ...


@shared_task(max_retries=3)
def three(sku): ...
