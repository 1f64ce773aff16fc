from django.db import transaction

from shop.tasks import notify

DB = "replica"


def keyword(order):
    with transaction.atomic(using="replica"):
        notify.delay(order.pk)


def positional(order):
    with transaction.atomic(DB, savepoint=False):
        notify.delay(order.pk)


def variable(order, alias):
    with transaction.atomic(using=alias):
        notify.delay(order.pk)
