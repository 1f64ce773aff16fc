from celery import Task, shared_task
from celery import shared_task as task

from proj.celery import app


@shared_task(bind=True)
def bare(self, sku):
    try:
        push(sku)
    except ConnectionError as exc:
        raise self.retry(exc=exc, countdown=60)


@app.task(bind=True)
def one_line(task, sku):
    if not ready(sku): raise task.retry(countdown=5); log(sku)


@task(bind=True)
def exploded(self, sku):
    raise self.retry(
        countdown=10,
        max_retries=2,
    )  # keeps its layout


class Sync(Task):
    def run(self, sku):
        raise self.retry(countdown=1)


@shared_task
def unbound(sku):
    self.retry(countdown=60)


# near misses
@shared_task(bind=True)
def raised(self, sku):
    raise self.retry(countdown=1)


@shared_task(bind=True)
def no_throw(self, sku):
    self.retry(countdown=5, throw=False)
    return "scheduled"


@shared_task(bind=True)
def spread(self, sku, **options):
    self.retry(**options)


@shared_task(bind=True)
def other_retry(self, sku):
    self.session.retry()


@shared_task(bind=True)
def silenced(self, sku):
    self.retry(countdown=1)  # noqa: CEL205


class Client:
    def fetch(self):
        self.retry()
