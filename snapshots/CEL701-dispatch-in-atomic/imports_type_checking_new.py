from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

if TYPE_CHECKING:
    from shop.models import Order


def save(order: Order):
    from shop.tasks import notify

    with transaction.atomic():
        order.save()
        notify.delay(order.pk, 1)
