from celery import shared_task


@shared_task(ignore_result=True)
def total(order_id):
    return order_id * 2


@shared_task(acks_late=True, ignore_result=True)
def rows():
    yield 1


@shared_task(ignore_result=True)
def nested_return_only(items):
    def key(item):
        return item.pk

    sorted(items, key=key)
