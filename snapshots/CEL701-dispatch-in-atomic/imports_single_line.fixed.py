from functools import partial

from django.db import models
from django.db import transaction
from django.db.transaction import atomic

from shop.tasks import notify


def save(order: models.Model):
    with atomic():
        order.save()
        transaction.on_commit(partial(notify.delay, order.pk, 1))
