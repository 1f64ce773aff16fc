from celery import shared_task


@shared_task(serializer="json")
def legacy(obj):
    pass


def send(obj):
    legacy.apply_async((obj,), serializer="json")
    legacy.apply_async((obj,), serializer="json")
