from functools import partial

from django.db import transaction

from shop.tasks import notify


def no_rebinding(order):
    with transaction.atomic():
        order.save()
        transaction.on_commit(lambda: notify.delay(order.pk, kind="created"))


def loop_variable(items):
    with transaction.atomic():
        for item in items:
            transaction.on_commit(partial(notify.delay, item.pk))


def rebound_later(order):
    with transaction.atomic():
        transaction.on_commit(partial(notify.delay, order.pk))
        order = order.next()


def attribute_changed_later(order):
    with transaction.atomic():
        transaction.on_commit(partial(notify.delay, order.status))
        order.status = "sent"
