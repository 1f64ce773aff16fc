from functools import partial

from django.db import transaction
from django.db.models import signals
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.core.signals import request_finished

from shop.models import Order
from shop.tasks import index_order, purge


@receiver(post_save, sender=Order)
def order_saved(sender, instance, created, **kwargs):
    if created:
        transaction.on_commit(partial(index_order.delay, instance.pk))


@receiver([pre_save, post_delete], sender=Order)
def order_changed(sender, instance, **kwargs):
    transaction.on_commit(partial(purge.delay, instance.pk))


@receiver(signals.m2m_changed, sender=Order.tags.through)
def tags_changed(sender, instance, action, **kwargs):
    task_id = index_order.delay(instance.pk).id
    instance.log(task_id)


@receiver(request_finished)
def not_a_model_signal(sender, **kwargs):
    purge.delay(0)


def connected_later(sender, instance, **kwargs):
    transaction.on_commit(partial(index_order.delay, instance.pk))


def not_connected(sender, instance, **kwargs):
    index_order.delay(instance.pk)


post_save.connect(connected_later, sender=Order)
m2m_changed.connect(receiver=not_connected_either, sender=Order)
