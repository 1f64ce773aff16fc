from django.db import models, transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from shop.tasks import index_order


class Order(models.Model):
    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            index_order.delay(self.pk)

    def delete(self, *args, **kwargs):
        super().delete(*args, **kwargs)
        transaction.on_commit(lambda: index_order.delay(self.pk))


@receiver(post_save, sender=Order)
def saved(sender, instance, **kwargs):
    def later():
        index_order.delay(instance.pk)

    transaction.on_commit(later)
