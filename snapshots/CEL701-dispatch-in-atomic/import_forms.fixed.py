"""Every way of spelling atomic: module alias, direct import, several context managers."""
from functools import partial

import django.db.transaction
from django.db import transaction as tx
from django.db.transaction import atomic as atom

from shop.tasks import send_receipt


def module_alias(order):
    with tx.atomic():
        order.save()
        tx.on_commit(partial(send_receipt.delay, order.id))


def direct_import(order, lock):
    with lock, atom(), open("log") as log:
        log.write("x")
        tx.on_commit(partial(send_receipt.delay, order.id))


def dotted_module(order):
    with django.db.transaction.atomic():
        tx.on_commit(partial(send_receipt.delay, order.id))
