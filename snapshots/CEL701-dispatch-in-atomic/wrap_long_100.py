from django.db import transaction

from shop.tasks import send_receipt


def place(order, customer_notification_channel):
    with transaction.atomic():
        order.save()
        send_receipt.delay(order.id, channel=customer_notification_channel, copy=True)
        send_receipt.delay(order.id, channel=customer_notification_channel, copy=True, priority=9)
