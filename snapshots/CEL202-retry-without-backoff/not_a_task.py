from myproject.jobs import shared_task
from celery import Celery


def job(**options):
    return lambda func: func


app = object()


@shared_task(autoretry_for=(IOError,))
def not_celery_shared_task():
    pass


@app.task(autoretry_for=(IOError,))
def not_a_celery_app():
    pass


@job(autoretry_for=(IOError,))
def some_other_decorator():
    pass


def helper(autoretry_for=(IOError,)):
    return autoretry_for
