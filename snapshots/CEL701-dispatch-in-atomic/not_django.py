from myproj.db import transaction

from shop.tasks import notify


def other_library(order):
    with transaction.atomic():
        notify.delay(order.pk)
