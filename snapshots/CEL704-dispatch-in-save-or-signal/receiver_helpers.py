# receivers registered through the project's own helpers (one level of indirection)
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from shop.tasks import index_order


def on_save(model):
    return receiver(post_save, sender=model)


def connect_delete(handler):
    post_delete.connect(handler, sender="shop.Order")
    return handler


def on_migrate(app):
    return receiver(post_migrate, sender=app)  # not a model signal: no transaction to wait for


def log_calls(handler):
    return handler  # registers nothing


@on_save("shop.Order")
def order_saved(sender, instance, **kwargs):
    index_order.delay(instance.pk)


@connect_delete
def order_deleted(sender, instance, **kwargs):
    index_order.delay(instance.pk)


def order_purged(sender, instance, **kwargs):
    index_order.delay(instance.pk)


connect_delete(order_purged)


@on_migrate(None)
def migrated(sender, **kwargs):
    index_order.delay(0)


@log_calls
def order_viewed(sender, instance, **kwargs):
    index_order.delay(instance.pk)
