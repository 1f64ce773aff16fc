from celery import shared_task


@shared_task
def two_statements(sku):
    item = load(sku)
    push(item)
