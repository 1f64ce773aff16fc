from django.db import transaction

from shop.tasks import send_receipt


def place(order, customer_notification_channel):
    with transaction.atomic(using="orders"):
        order.save()
        send_receipt.delay(order.id, channel=customer_notification_channel, copy=True)
        send_receipt.apply_async((order.id,), countdown=30)  # this comment counts toward the line's length
        send_receipt.delay(order.id, channel=customer_notification_channel)  # noqa: E501 a pragma does not count
