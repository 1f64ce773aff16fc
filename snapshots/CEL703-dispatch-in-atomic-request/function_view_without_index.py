"""ATOMIC_REQUESTS is only known from the settings module, through the index: no finding."""
from shop.tasks import send_receipt


def checkout(request, pk):
    send_receipt.delay(pk)
