from celery import shared_task
from django.db import transaction


@shared_task
def send_receipt(order_id, copy=False):
    pass


def place(order):
    with transaction.atomic():
        order.save()
        send_receipt.delay(  # the customer's copy
            order.id,
            copy=True,
        )


def place_commented_line(order):
    with transaction.atomic():
        order.save()
        send_receipt.delay(
            # one comment line above the arguments
            order.id,
        )
