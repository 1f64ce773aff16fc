from celery import Task, shared_task
from django.core import exceptions
from django.core.exceptions import ObjectDoesNotExist, ValidationError as DjangoValidationError

from shop.models import Order
from shop.errors import ValidationError


@shared_task(autoretry_for=(ConnectionError, DjangoValidationError))
def validation(sku): ...


@shared_task(autoretry_for=(Order.DoesNotExist, ObjectDoesNotExist))
def missing(order_id): ...


@shared_task(autoretry_for=(exceptions.PermissionDenied, ValueError, TypeError, KeyError))
def builtins_and_module_attribute(sku): ...


class BaseTask(Task):
    autoretry_for = (KeyError,)


# near misses
@shared_task(autoretry_for=(ValidationError,))
def project_validation_error(sku): ...


@shared_task(autoretry_for=(ConnectionError, TimeoutError))
def transient(sku): ...
