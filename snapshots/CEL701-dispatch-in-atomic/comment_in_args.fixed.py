from functools import partial

from celery import shared_task
from django.db import transaction


@shared_task
def send_receipt(order_id, copy=False):
    pass


def place(order):
    with transaction.atomic():
        order.save()
        transaction.on_commit(
            partial(  # the customer's copy
                send_receipt.delay,
                order.id,
                copy=True,
            )
        )


def place_commented_line(order):
    with transaction.atomic():
        order.save()
        transaction.on_commit(
            partial(
                # one comment line above the arguments
                send_receipt.delay,
                order.id,
            )
        )
