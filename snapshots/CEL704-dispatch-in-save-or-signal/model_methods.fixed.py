from functools import partial

from django.db import models, transaction
from django.db.models import Model

from shop.base import TimeStampedModel
from shop.tasks import index_order, purge


class Order(models.Model):
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        transaction.on_commit(partial(index_order.delay, self.pk))  # reindex

    def delete(self, *args, **kwargs):
        transaction.on_commit(partial(purge.apply_async, (self.pk,), countdown=60))
        return super().delete(*args, **kwargs)

    def refresh(self):
        index_order.delay(self.pk)  # not save/delete: not reported


class Invoice(Model):
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if self.total > 100:
            transaction.on_commit(partial(index_order.delay, self.pk, priority="high"))


class Product(TimeStampedModel):
    def save(self, *args, **kwargs):
        result = super().save(*args, **kwargs)
        transaction.on_commit(partial(index_order.delay, self.pk))
        return result


class Mixed(ProjectBase):
    name = models.CharField(max_length=10)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        transaction.on_commit(partial(index_order.delay, self.pk))
