import celery
from celery import Task, shared_task
from celery import shared_task as task
from shop.errors import Exception as ShopError

RETRY_ON = (IOError, Exception)


@shared_task(autoretry_for=(Exception,), retry_backoff=True)
def tuple_form(sku): ...


@task(autoretry_for=[BaseException])
def list_form_alias(sku): ...


@celery.shared_task(autoretry_for=RETRY_ON)
def module_constant(sku): ...


class BaseTask(Task):
    autoretry_for = (Exception,)


# near misses
@shared_task(autoretry_for=(ConnectionError,))
def narrow(sku): ...


@shared_task(autoretry_for=(ShopError,))
def project_class_named_exception(sku): ...


@shared_task(autoretry_for=(Exception,))  # noqa: CEL201
def silenced(sku): ...


def not_a_task(autoretry_for=(Exception,)): ...


class Settings:
    autoretry_for = (Exception,)
