from celery import chain, chord, group
from django.db import transaction

from proj.celery import app
from shop.tasks import add, notify, summarize


def forms(order, ids):
    with transaction.atomic():
        notify.s(order.pk).delay()
        notify.si(order.pk).apply_async(countdown=5)
        group(notify.s(i) for i in ids)()
        chain(add.s(1, 2), add.s(3)).apply_async()
        chord([add.s(i, i) for i in ids])(summarize.s())
        (add.s(1, 2) | add.s(4))()
        app.send_task("shop.tasks.notify", args=[order.pk])


def not_dispatches(order):
    import time
    with transaction.atomic():
        order.save()
        notify.s(order.pk)
        group(notify.s(1))
