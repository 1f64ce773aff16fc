from functools import (
    partial,
    reduce,
    wraps,
)

from django.db import (
    IntegrityError,
    models,  # the ORM
    transaction,
)
from django.db.transaction import atomic

from shop.tasks import notify


@wraps(print)
def save(order: models.Model):
    with atomic():
        order.save()
        transaction.on_commit(partial(notify.delay, order.pk, reduce(max, [1, 2])))
    raise IntegrityError
