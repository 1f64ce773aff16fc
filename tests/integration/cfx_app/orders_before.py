"""Code with tasks sent inside transaction.atomic(): the input celery-fix fixes in the tests.
Do not fix this file by hand: the tests copy it, run celery-fix on the copy and import that."""

from django.db import transaction

from cfx_app.models import Order
from cfx_app.tasks import item_seen, order_visible


def place_order(item):
    with transaction.atomic():
        order = Order.objects.create(item=item)
        order_visible.delay(order.pk)
    return order


def place_many(items):
    with transaction.atomic():
        for item in items:
            order = Order.objects.create(item=item)
            item_seen.delay(order.item)


def place_on(alias, item):
    with transaction.atomic(using=alias):
        order = Order.objects.using(alias).create(item=item)
        order_visible.apply_async(args=(order.pk,), kwargs={"using": alias})
    return order


def place_or_fail(item, fail):
    with transaction.atomic():
        order = Order.objects.create(item=item)
        order_visible.delay(order.pk)  # sent even when the block raises below
        if fail:
            raise RuntimeError("rollback")
    return order
