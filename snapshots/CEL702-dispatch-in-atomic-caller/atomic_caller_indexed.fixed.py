from functools import partial

from celery import shared_task
from django.db import transaction


@shared_task
def send_receipt(order_id):
    pass


def notify_customer(order):
    transaction.on_commit(partial(send_receipt.delay, order.id))


def place_order(order):
    with transaction.atomic():
        order.save()
        notify_customer(order)
