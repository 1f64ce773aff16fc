"""Only a first-party import: the standard library and third-party blocks go above it."""
from functools import partial

from django.db import transaction

from proj.db import locked_atomic


def save(order, notify):
    with locked_atomic():
        order.save()
        transaction.on_commit(partial(notify.delay, order.pk))
