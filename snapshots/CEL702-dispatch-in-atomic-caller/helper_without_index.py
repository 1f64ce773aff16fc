"""Without the ProjectIndex nobody knows who calls notify_customer: no finding."""
from shop.tasks import send_receipt


def notify_customer(order):
    send_receipt.delay(order.id)
