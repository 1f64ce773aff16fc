from contextlib import contextmanager
from functools import partial

from django.db import transaction

from proj.db import locked_atomic
from shop.tasks import notify


@contextmanager
def traced_atomic_transaction():
    with transaction.atomic():
        yield


@contextmanager
def traced():
    yield


def uses_local_wrapper(order):
    with traced_atomic_transaction():
        transaction.on_commit(partial(notify.delay, order.pk))


@traced_atomic_transaction()
def decorated_with_wrapper(order):
    transaction.on_commit(partial(notify.delay, order.pk))


def configured_wrapper(order):
    with locked_atomic(order):
        transaction.on_commit(partial(notify.delay, order.pk))


def not_a_wrapper(order):
    with traced():
        notify.delay(order.pk)
