from functools import partial

from django.db import transaction

from shop.tasks import notify


def loop(items):
    with transaction.atomic():
        for item in items:
            item.save()
            transaction.on_commit(partial(notify.delay, item.pk))
        while items:
            transaction.on_commit(partial(notify.delay, items.pop().pk))


def branches(order):
    with transaction.atomic():
        if order.paid:
            transaction.on_commit(partial(notify.delay, order.pk, "paid"))
        elif order.cancelled:
            transaction.on_commit(partial(notify.delay, order.pk, "cancelled"))
        else:
            try:
                transaction.on_commit(partial(notify.delay, order.pk, "other"))
            except KeyError:
                pass
            finally:
                order.save()
