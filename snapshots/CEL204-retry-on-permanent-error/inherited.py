from celery import Task, shared_task
from django.core.exceptions import ValidationError


class Strict(Task):
    autoretry_for = (ConnectionError, ValidationError)  # reported here, at the class


@shared_task(base=Strict)
def inherits(sku): ...  # not again


class Settings:
    autoretry_for = (ValueError,)  # not a task class
