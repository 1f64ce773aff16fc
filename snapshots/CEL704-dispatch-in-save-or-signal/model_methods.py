from django.db import models
from django.db.models import Model

from shop.base import TimeStampedModel
from shop.tasks import index_order, purge


class Order(models.Model):
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        index_order.delay(self.pk)  # reindex

    def delete(self, *args, **kwargs):
        purge.apply_async((self.pk,), countdown=60)
        return super().delete(*args, **kwargs)

    def refresh(self):
        index_order.delay(self.pk)  # not save/delete: not reported


class Invoice(Model):
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if self.total > 100:
            index_order.delay(self.pk, priority="high")


class Product(TimeStampedModel):
    def save(self, *args, **kwargs):
        result = super().save(*args, **kwargs)
        index_order.delay(self.pk)
        return result


class Mixed(ProjectBase):
    name = models.CharField(max_length=10)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        index_order.delay(self.pk)
