from functools import partial

from django.db import transaction

from shop.tasks import notify

DB = "replica"


def keyword(order):
    with transaction.atomic(using="replica"):
        transaction.on_commit(partial(notify.delay, order.pk), using="replica")


def positional(order):
    with transaction.atomic(DB, savepoint=False):
        transaction.on_commit(partial(notify.delay, order.pk), using=DB)


def variable(order, alias):
    with transaction.atomic(using=alias):
        transaction.on_commit(partial(notify.delay, order.pk), using=alias)
