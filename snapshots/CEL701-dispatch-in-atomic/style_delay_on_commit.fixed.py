from functools import partial

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.db import transaction

from shop.tasks import imported_task


@shared_task(base=DjangoTask)
def django_task(pk):
    return pk


@shared_task
def plain_task(pk):
    return pk


def place(order):
    with transaction.atomic():
        django_task.delay_on_commit(order.pk)
        django_task.apply_async_on_commit((order.pk,), countdown=5)
        transaction.on_commit(partial(plain_task.delay, order.pk))
        transaction.on_commit(partial(imported_task.delay, order.pk))
        transaction.on_commit(django_task.s(order.pk).delay)


def other_database(order):
    with transaction.atomic(using="replica"):
        transaction.on_commit(partial(django_task.delay, order.pk), using="replica")
