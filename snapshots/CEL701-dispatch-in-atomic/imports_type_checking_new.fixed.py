from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from django.db import transaction

if TYPE_CHECKING:
    from shop.models import Order


def save(order: Order):
    from shop.tasks import notify

    with transaction.atomic():
        order.save()
        transaction.on_commit(partial(notify.delay, order.pk, 1))
