import functools

import django.db
from django.db.transaction import atomic

from shop.tasks import notify


def save(order):
    with atomic():
        order.save()
        notify.delay(order.pk)
