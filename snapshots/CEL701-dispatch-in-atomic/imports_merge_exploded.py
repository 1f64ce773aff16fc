from functools import (
    reduce,
    wraps,
)

from django.db import (
    IntegrityError,
    models,  # the ORM
)
from django.db.transaction import atomic

from shop.tasks import notify


@wraps(print)
def save(order: models.Model):
    with atomic():
        order.save()
        notify.delay(order.pk, reduce(max, [1, 2]))
    raise IntegrityError
