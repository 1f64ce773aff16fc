from functools import partial

from django.db import transaction

from shop.tasks import notify


def nested_def(order):
    with transaction.atomic():
        order.save()

        def later():
            notify.delay(order.pk)

        callback = lambda: notify.delay(order.pk)

        class Job:
            def run(self):
                notify.delay(order.pk)

        transaction.on_commit(later)
        transaction.on_commit(callback)


def already_on_commit(order):
    with transaction.atomic():
        transaction.on_commit(lambda: notify.delay(order.pk))
        transaction.on_commit(partial(notify.delay, order.pk))
        transaction.on_commit(lambda: notify.apply_async((order.pk,)), using="default")
        notify.delay_on_commit(order.pk)
