from celery import shared_task


@shared_task
def cleans_up(sku):
    try:
        push(sku)
    except Exception:
        rollback(sku)
        raise


@shared_task
def narrow(sku):
    try:
        push(sku)
    except KeyError:
        raise
