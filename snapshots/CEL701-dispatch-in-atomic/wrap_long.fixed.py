from functools import partial

from django.db import transaction

from shop.tasks import send_receipt


def place(order, customer_notification_channel):
    with transaction.atomic(using="orders"):
        order.save()
        transaction.on_commit(
            partial(
                send_receipt.delay,
                order.id,
                channel=customer_notification_channel,
                copy=True,
            ),
            using="orders",
        )
        transaction.on_commit(
            partial(send_receipt.apply_async, (order.id,), countdown=30), using="orders"
        )  # this comment counts toward the line's length
        transaction.on_commit(
            partial(
                send_receipt.delay, order.id, channel=customer_notification_channel
            ),
            using="orders",
        )  # noqa: E501 a pragma does not count
