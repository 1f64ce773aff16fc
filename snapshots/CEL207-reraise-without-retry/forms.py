import logging

from celery import Task, shared_task

from proj.base import ProjectTask

logger = logging.getLogger(__name__)


@shared_task
def reraise(sku):
    try:
        push(sku)
    except Exception:
        logger.exception("push failed")
        raise


@shared_task
def bare_except(sku):
    try:
        push(sku)
    except:
        raise


# near misses
@shared_task(autoretry_for=(ConnectionError,))
def autoretries(sku):
    try:
        push(sku)
    except Exception:
        raise


@shared_task(bind=True)
def retries(self, sku):
    try:
        push(sku)
    except ConnectionError as exc:
        raise self.retry(exc=exc, countdown=1)
    except Exception:
        raise


@shared_task(base=ProjectTask)
def unreadable_base(sku):
    try:
        push(sku)
    except Exception:
        raise


@shared_task
def translates(sku):
    try:
        push(sku)
    except Exception as exc:
        raise RuntimeError(sku) from exc


def not_a_task(sku):
    try:
        push(sku)
    except Exception:
        raise
