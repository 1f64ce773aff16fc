from functools import partial

from django.db import transaction

from shop.tasks import notify


def nested(order):
    with transaction.atomic():
        order.save()
        with transaction.atomic(using="audit"):
            transaction.on_commit(partial(notify.delay, order.id), using="audit")
        transaction.on_commit(partial(notify.delay, order.id, "outer"))


def inner_savepoint_then_outer_raise(order):
    with transaction.atomic():
        with transaction.atomic():
            transaction.on_commit(partial(notify.delay, order.id))
        if not order.valid:
            raise ValueError("rolls back the outer block too")


def after_block_is_fine(order):
    with transaction.atomic():
        order.save()
    notify.delay(order.id)
