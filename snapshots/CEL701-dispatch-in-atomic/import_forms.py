"""Every way of spelling atomic: module alias, direct import, several context managers."""
import django.db.transaction
from django.db import transaction as tx
from django.db.transaction import atomic as atom

from shop.tasks import send_receipt


def module_alias(order):
    with tx.atomic():
        order.save()
        send_receipt.delay(order.id)


def direct_import(order, lock):
    with lock, atom(), open("log") as log:
        log.write("x")
        send_receipt.delay(order.id)


def dotted_module(order):
    with django.db.transaction.atomic():
        send_receipt.delay(order.id)
