"""A dispatch in its own atomic block is CEL701's, never CEL702's."""
from django.db import transaction

from shop.tasks import send_receipt


def place_order(order):
    with transaction.atomic():
        send_receipt.delay(order.id)
