from celery import Task, shared_task
from django.conf import settings

from proj.celery import app


@shared_task(autoretry_for=(IOError,), max_retries=None)
def forever(sku): ...


@app.task(autoretry_for=(IOError,), retry_kwargs={"max_retries": 100})
def a_hundred(sku): ...


@shared_task(bind=True)
def manual(self, sku):
    raise self.retry(max_retries=None, countdown=5)


class Forever(Task):
    max_retries = None


# near misses
@shared_task(autoretry_for=(IOError,))
def default_three(sku): ...


@shared_task(max_retries=10)
def at_the_bound(sku): ...


@shared_task(max_retries=settings.RETRIES)
def from_settings(sku): ...


class Client:
    max_retries = None


def helper(self):
    self.retry(max_retries=None)
