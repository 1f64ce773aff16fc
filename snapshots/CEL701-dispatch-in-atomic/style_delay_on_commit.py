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
        django_task.delay(order.pk)
        django_task.apply_async((order.pk,), countdown=5)
        plain_task.delay(order.pk)
        imported_task.delay(order.pk)
        django_task.s(order.pk).delay()


def other_database(order):
    with transaction.atomic(using="replica"):
        django_task.delay(order.pk)
