"""Every isort section: future, standard library, third party (new block), first party, local."""

from __future__ import annotations

import logging

from proj.db import locked_atomic
from shop.tasks import notify

from .models import Order

log = logging.getLogger(__name__)


def save(order: Order):
    with locked_atomic():
        order.save()
        notify.delay(order.pk)
