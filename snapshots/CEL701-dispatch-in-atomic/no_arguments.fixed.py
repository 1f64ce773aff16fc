from django.db import transaction

from shop.tasks import rebuild_index


def rebuild():
    with transaction.atomic():
        transaction.on_commit(rebuild_index.delay)
        transaction.on_commit(rebuild_index.apply_async)
        transaction.on_commit(rebuild_index.s().delay)
