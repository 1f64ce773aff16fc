"""Hand-written on_commit with a lambda in a loop: the late-binding bug the fix must not make."""

from django.db import transaction

from cfx_app.models import Order
from cfx_app.tasks import echo_item


def place_many(items):
    with transaction.atomic():
        for item in items:
            order = Order.objects.create(item=item)
            transaction.on_commit(lambda: echo_item.delay(order.item))
