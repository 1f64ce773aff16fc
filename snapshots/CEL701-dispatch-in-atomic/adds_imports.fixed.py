from functools import partial

from django.db import transaction
from django.db.transaction import atomic

from shop.tasks import send_receipt


def place(order):
    with atomic():
        order.save()
        transaction.on_commit(partial(send_receipt.delay, order.id, channel="email"))
