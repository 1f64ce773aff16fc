from functools import partial

from django.db import transaction

from shop.tasks import notify, report_failure


def raise_later(order):
    with transaction.atomic():
        transaction.on_commit(partial(notify.delay, order.pk))
        if order.total < 0:
            raise ValueError("negative")


def failure_notification(order):
    with transaction.atomic():
        try:
            order.charge()
        except PaymentError:
            transaction.on_commit(partial(report_failure.delay, order.pk))
            raise


def reraise_in_handler(order):
    with transaction.atomic():
        try:
            transaction.on_commit(partial(notify.delay, order.pk))
            order.charge()
        except PaymentError:
            order.log("failed")
            raise


def assert_later(order):
    with transaction.atomic():
        transaction.on_commit(partial(notify.delay, order.pk))
        assert order.pk


def raise_in_loop_before(items):
    with transaction.atomic():
        for item in items:
            if item.bad:
                raise ValueError(item)
            transaction.on_commit(partial(notify.delay, item.pk))


def raise_before_is_safe(order):
    with transaction.atomic():
        if order.total < 0:
            raise ValueError("negative")
        transaction.on_commit(partial(notify.delay, order.pk))


def raise_in_nested_def_is_safe(order):
    with transaction.atomic():
        transaction.on_commit(partial(notify.delay, order.pk))

        def check():
            raise ValueError("never runs here")
