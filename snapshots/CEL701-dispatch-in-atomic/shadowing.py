from django.db import transaction

from shop.tasks import notify


def parameter(order, transaction):
    with transaction.atomic():
        notify.delay(order.pk)


def local_assignment(order, db):
    transaction = db.tx()
    with transaction.atomic():
        notify.delay(order.pk)


def partial_is_a_local(order):
    partial = order.is_partial
    with transaction.atomic():
        notify.delay(order.pk, partial)


def not_django():
    from myproj import atomic
    with atomic():
        notify.delay(1)
