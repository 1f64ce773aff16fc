from celery import shared_task

from shop.models import Order


@shared_task
def mark_paid(order_ids):
    for order in Order.objects.filter(pk__in=order_ids):
        order.save()  # loop-writes = false: only side effects count
