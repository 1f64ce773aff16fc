"""A task whose class is Celery's DjangoTask (so `delay_on_commit` exists), sent inside atomic."""

from celery.contrib.django.task import DjangoTask
from django.db import transaction

from cfx_app.celery import app
from cfx_app.models import Order


@app.task(base=DjangoTask, name="cfx_app.signup_before.welcome")  # the fixed copy is the same task
def welcome(order_id):
    return Order.objects.filter(pk=order_id).exists()


def sign_up(item):
    with transaction.atomic():
        order = Order.objects.create(item=item)
        welcome.delay(order.pk)
    return order
