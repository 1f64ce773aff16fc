from django.db import transaction

from shop.tasks import rebuild_index


def rebuild():
    with transaction.atomic():
        rebuild_index.delay()
        rebuild_index.apply_async()
        rebuild_index.s().delay()
