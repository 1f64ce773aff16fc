from celery import shared_task
from celery_once import QueueOnce


@shared_task(ignore_results=True)
def typo():
    pass


@shared_task(
    bind=True,
    max_retry=5,
)
def exploded_typo(self):
    pass


@shared_task(colour="blue")
def no_close_match():
    pass


@shared_task(ignore_result=True, acks_late=True, autoretry_for=(IOError,), retry_backoff=True, queue="io")
def all_known():
    pass


@shared_task(base=QueueOnce, once={"graceful": True}, lock_ttl=60)
def extension_base():
    pass


@shared_task(lock_expiry=60)
def configured_extra():
    pass


def send():
    typo.apply_async(countdwon=5)
    typo.apply_async(countdown=5, custom_hint="x")
