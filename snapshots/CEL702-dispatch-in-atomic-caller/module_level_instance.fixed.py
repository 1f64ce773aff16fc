# methods called inside an atomic block through a module-level instance of a project class
import os
from functools import partial

from django.db import transaction

from shop.tasks import send_receipt


class Notifier:
    def notify(self, order):
        transaction.on_commit(partial(send_receipt.delay, order.id))

    def archive(self, order):
        send_receipt.delay(order.id)


class Mailer:
    def notify(self, order):  # same name, another class: never called inside the block
        send_receipt.delay(order.id)

    def deliver(self, order):
        send_receipt.delay(order.id)

    def refund(self, order):
        send_receipt.delay(order.id)


notifier = Notifier()
sender = Notifier()
sender = Mailer()  # rebound: which class runs is not known
if os.environ.get("MAIL"):
    mailer = Mailer()  # set in an `if`: maybe not set at all
swapped = Mailer()


def swap():
    global swapped
    swapped = Notifier()  # rebound from a function


def place_order(order):
    with transaction.atomic():
        order.save()
        notifier.notify(order)


def cancel_order(order):
    with transaction.atomic():
        order.save()
        sender.archive(order)
        mailer.deliver(order)
        swapped.refund(order)
