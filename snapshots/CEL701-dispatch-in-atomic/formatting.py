from django.db import transaction

from shop.tasks import notify


def keep_layout(order):
    with transaction.atomic():
        # a comment above stays
        notify.delay(order.pk)  # trailing comment stays

        notify.apply_async(
            (order.pk,),  # the id
            countdown=10,
        )
        order.save(); notify.delay(order.pk)
        (notify.delay(order.pk))


def one_line(order):
    with transaction.atomic(): notify.delay(order.pk)
