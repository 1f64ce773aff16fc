# methods called inside an atomic block through a local whose class is known
from functools import partial

from django.db import transaction

from shop.tasks import send_receipt


class Notifier:
    def notify(self, order):
        transaction.on_commit(partial(send_receipt.delay, order.id))


class Mailer:
    def notify(self, order):  # same name, another class: never called inside the block
        send_receipt.delay(order.id)

    def deliver(self, order):
        transaction.on_commit(partial(send_receipt.delay, order.id))

    def archive(self, order):
        send_receipt.delay(order.id)


def place_order(order):
    notifier = Notifier()
    with transaction.atomic():
        order.save()
        notifier.notify(order)


def ship_order(order, mailer: "Mailer"):
    with transaction.atomic():
        order.save()
        mailer.deliver(order)


def cancel_order(order, helper, urgent):
    sender = Notifier()
    if urgent:
        sender = Mailer()  # rebound: which class runs is not known
    with transaction.atomic():
        order.save()
        sender.archive(order)
        helper.archive(order)  # a parameter of unknown class
