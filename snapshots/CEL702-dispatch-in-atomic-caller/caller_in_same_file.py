"""Even the atomic caller in the same file needs the index's call graph: no finding single-file."""
from django.db import transaction

from shop.tasks import send_receipt


def notify_customer(order):
    send_receipt.delay(order.id)


def place_order(order):
    with transaction.atomic():
        order.save()
        notify_customer(order)
