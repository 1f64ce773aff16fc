from django.db import transaction

from shop.tasks import notify


def assigned(order):
    with transaction.atomic():
        result = notify.delay(order.pk)
    return result.id


def returned(order):
    with transaction.atomic():
        return notify.delay(order.pk)


def argument(order, log):
    with transaction.atomic():
        log.append(notify.delay(order.pk))


def condition(order):
    with transaction.atomic():
        if notify.delay(order.pk).id:
            pass
