from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Order
from .tasks import sync_order_to_erp


@receiver(post_save, sender=Order)
def push_placed_order_to_erp(sender, instance, created, **kwargs):
    if instance.status == Order.Status.PLACED:
        sync_order_to_erp.delay(instance)
