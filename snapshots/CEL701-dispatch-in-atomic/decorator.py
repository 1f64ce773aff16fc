from functools import partial

from django.db import transaction
from django.db.transaction import atomic

from shop.tasks import notify, send_receipt


@transaction.atomic
def bare(order):
    order.save()
    send_receipt.delay(order.id)


@transaction.atomic()
def called(order):
    send_receipt.apply_async(args=(order.id,), kwargs={"copy": True}, countdown=30, queue="mail")


@atomic(using="orders")
def with_using(order):
    notify.delay(order.id)


class Service:
    @transaction.atomic
    def place(self, order):
        order.save()
        notify.delay(order.id)

    def not_atomic(self, order):
        notify.delay(order.id)


@shared_decorator
def other_decorator(order):
    notify.delay(order.id)
