import functools

import django.db
from django.db.transaction import atomic

from shop.tasks import notify


def save(order):
    with atomic():
        order.save()
        django.db.transaction.on_commit(functools.partial(notify.delay, order.pk))
