from django.db import transaction

from shop.tasks import notify


def loop(items):
    with transaction.atomic():
        for item in items:
            item.save()
            notify.delay(item.pk)
        while items:
            notify.delay(items.pop().pk)


def branches(order):
    with transaction.atomic():
        if order.paid:
            notify.delay(order.pk, "paid")
        elif order.cancelled:
            notify.delay(order.pk, "cancelled")
        else:
            try:
                notify.delay(order.pk, "other")
            except KeyError:
                pass
            finally:
                order.save()
