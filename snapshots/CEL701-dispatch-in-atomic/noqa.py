from django.db import transaction

from shop.tasks import notify


def suppressed(order):
    with transaction.atomic():
        notify.delay(order.pk)  # noqa: CEL701
        notify.delay(order.pk)  # noqa
        # lint-ignore: dispatch-in-atomic
        notify.delay(order.pk)
        notify.delay(order.pk)  # lint-fixme: DispatchInAtomic
        notify.delay(order.pk, "still reported")  # noqa: CEL202
