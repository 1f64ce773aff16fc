from functools import partial

from django.db import transaction

from shop.tasks import notify


def suppressed(order):
    with transaction.atomic():
        notify.delay(order.pk)  # noqa: CEL701
        notify.delay(order.pk)  # noqa
        # lint-ignore: dispatch-in-atomic
        notify.delay(order.pk)
        notify.delay(order.pk)  # lint-fixme: DispatchInAtomic
        transaction.on_commit(partial(notify.delay, order.pk, "still reported"))  # noqa: CEL202
