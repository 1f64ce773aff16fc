from celery import Task, shared_task

from celery import Celery

app = Celery("proj")


class BaseTask(Task):
    acks_late = True
    autoretry_for = (ConnectionError,)  # reported: a task class without retry_backoff


class BackoffTask(BaseTask):
    retry_backoff = True


class Opaque(VendorTask):
    pass


@app.task(base=BaseTask, retry_backoff=True, retry_backoff_max=600, retry_jitter=True)
def sync(sku): ...  # inherits autoretry_for: needs backoff


@shared_task(base=BaseTask, retry_backoff=True)
def sync2(sku): ...


@shared_task(base=BackoffTask)
def sync3(sku): ...  # retry_backoff from BackoffTask


@shared_task(base=Opaque)
def opaque(sku): ...  # an unreadable base: quiet


@shared_task(base=BaseTask, autoretry_for=())
def switched_off(sku): ...
