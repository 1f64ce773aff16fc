from celery import shared_task


@shared_task(serializer="pickle")
def legacy(obj):
    pass


def send(obj):
    legacy.apply_async((obj,), serializer="pickle")
    legacy.apply_async((obj,), serializer="json")
