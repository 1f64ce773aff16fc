from functools import partial

from celery import chain, chord, group
from django.db import transaction

from proj.celery import app
from shop.tasks import add, notify, summarize


def forms(order, ids):
    with transaction.atomic():
        transaction.on_commit(notify.s(order.pk).delay)
        transaction.on_commit(partial(notify.si(order.pk).apply_async, countdown=5))
        transaction.on_commit(group(notify.s(i) for i in ids))
        transaction.on_commit(chain(add.s(1, 2), add.s(3)).apply_async)
        transaction.on_commit(partial(chord([add.s(i, i) for i in ids]), summarize.s()))
        transaction.on_commit(add.s(1, 2) | add.s(4))
        transaction.on_commit(
            partial(app.send_task, "shop.tasks.notify", args=[order.pk])
        )


def not_dispatches(order):
    import time
    with transaction.atomic():
        order.save()
        notify.s(order.pk)
        group(notify.s(1))
