from django.db.transaction import atomic

from shop.tasks import send_receipt
from django.db import transaction
from functools import partial


def place(order):
    with atomic():
        order.save()
        transaction.on_commit(partial(send_receipt.delay, order.id, channel="email"))
