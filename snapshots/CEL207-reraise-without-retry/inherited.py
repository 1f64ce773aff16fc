from celery import Task, shared_task


class Retrying(Task):
    autoretry_for = (ConnectionError,)


@shared_task(base=Retrying)
def inherits_autoretry(sku):
    try:
        push(sku)
    except Exception:
        raise  # the task retries (inherited): not reported


@shared_task
def plain(sku):
    try:
        push(sku)
    except Exception:
        raise
