from functools import partial

from django.db import models, transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from shop.tasks import index_order


class Order(models.Model):
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        transaction.on_commit(lambda: index_order.delay(self.pk))  # noqa: CEL701


@receiver(post_save, sender=Order)
def saved(sender, instance, **kwargs):
    transaction.on_commit(partial(index_order.delay, instance.pk))
    instance = None
