"""Only a first-party import: the standard library and third-party blocks go above it."""
from proj.db import locked_atomic


def save(order, notify):
    with locked_atomic():
        order.save()
        notify.delay(order.pk)
