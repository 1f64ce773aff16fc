import logging
from functools import partial

from django.db import models, transaction
from django.db.transaction import atomic

from shop.tasks import notify

log = logging.getLogger(__name__)


def save(order: models.Model):
    with atomic():
        order.save()
        transaction.on_commit(partial(notify.delay, order.pk))
