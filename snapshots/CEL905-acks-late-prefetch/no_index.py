from celery import shared_task


@shared_task(acks_late=True)
def render(report_id): ...  # without the index the prefetch setting is unknown
