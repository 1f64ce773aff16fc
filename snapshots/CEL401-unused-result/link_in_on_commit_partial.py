# The CEL701 fix writes `t.apply_async((x,), link=...)` inside atomic() as
# on_commit(partial(t.apply_async, (x,), link=...)): the link still consumes t's result,
# so a second run must not add ignore_result=True (must not fire).
from functools import partial

from celery import shared_task
from django.db import transaction


@shared_task
def total(order_id):
    return order_id


@shared_task(ignore_result=True)
def notify(value):
    pass


def place(order):
    with transaction.atomic():
        transaction.on_commit(partial(total.apply_async, (order.id,), link=notify.s()))
