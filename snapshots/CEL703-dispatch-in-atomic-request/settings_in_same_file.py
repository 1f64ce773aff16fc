"""Settings in the same file still need the index (it decides which settings module is used)."""
from shop.tasks import send_receipt

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "ATOMIC_REQUESTS": True}}


def checkout(request, pk):
    send_receipt.delay(pk)
