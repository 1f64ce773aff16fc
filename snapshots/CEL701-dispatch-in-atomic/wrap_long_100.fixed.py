from functools import partial

from django.db import transaction

from shop.tasks import send_receipt


def place(order, customer_notification_channel):
    with transaction.atomic():
        order.save()
        transaction.on_commit(
            partial(send_receipt.delay, order.id, channel=customer_notification_channel, copy=True)
        )
        transaction.on_commit(
            partial(
                send_receipt.delay,
                order.id,
                channel=customer_notification_channel,
                copy=True,
                priority=9,
            )
        )
