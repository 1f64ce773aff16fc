from django.db.transaction import atomic

from shop.tasks import send_receipt


def place(order):
    with atomic():
        order.save()
        send_receipt.delay(order.id, channel="email")
