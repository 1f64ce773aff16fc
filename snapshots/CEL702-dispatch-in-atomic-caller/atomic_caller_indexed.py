from celery import shared_task
from django.db import transaction


@shared_task
def send_receipt(order_id):
    pass


def notify_customer(order):
    send_receipt.delay(order.id)


def place_order(order):
    with transaction.atomic():
        order.save()
        notify_customer(order)
