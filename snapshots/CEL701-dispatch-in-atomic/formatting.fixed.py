from functools import partial

from django.db import transaction

from shop.tasks import notify


def keep_layout(order):
    with transaction.atomic():
        # a comment above stays
        transaction.on_commit(partial(notify.delay, order.pk))  # trailing comment stays

        transaction.on_commit(
            partial(
                notify.apply_async,
                (order.pk,),  # the id
                countdown=10,
            )
        )
        order.save(); transaction.on_commit(partial(notify.delay, order.pk))
        (transaction.on_commit(partial(notify.delay, order.pk)))


def one_line(order):
    with transaction.atomic(): transaction.on_commit(partial(notify.delay, order.pk))
