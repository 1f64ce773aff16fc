import logging

from django.db import models
from django.db.transaction import atomic

from shop.tasks import notify

log = logging.getLogger(__name__)


def save(order: models.Model):
    with atomic():
        order.save()
        notify.delay(order.pk)
