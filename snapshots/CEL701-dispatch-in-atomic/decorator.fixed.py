from functools import partial

from django.db import transaction
from django.db.transaction import atomic

from shop.tasks import notify, send_receipt


@transaction.atomic
def bare(order):
    order.save()
    transaction.on_commit(partial(send_receipt.delay, order.id))


@transaction.atomic()
def called(order):
    transaction.on_commit(
        partial(
            send_receipt.apply_async,
            args=(order.id,),
            kwargs={"copy": True},
            countdown=30,
            queue="mail",
        )
    )


@atomic(using="orders")
def with_using(order):
    transaction.on_commit(partial(notify.delay, order.id), using="orders")


class Service:
    @transaction.atomic
    def place(self, order):
        order.save()
        transaction.on_commit(partial(notify.delay, order.id))

    def not_atomic(self, order):
        notify.delay(order.id)


@shared_decorator
def other_decorator(order):
    notify.delay(order.id)
