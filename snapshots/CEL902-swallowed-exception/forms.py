import logging

from celery import Task, shared_task

logger = logging.getLogger(__name__)


@shared_task
def passes(sku):
    try:
        push(sku)
    except Exception:
        pass


@shared_task
def loop(skus):
    for sku in skus:
        try:
            push(sku)
        except:
            continue


class Sync(Task):
    def run(self, sku):
        try:
            return push(sku)
        except BaseException:
            return None


# near misses
@shared_task
def logs(sku):
    try:
        push(sku)
    except Exception:
        logger.exception("push failed")


@shared_task
def narrow(sku):
    try:
        push(sku)
    except KeyError:
        pass


@shared_task
def handles(sku):
    try:
        push(sku)
    except Exception:
        mark_failed(sku)


@shared_task(bind=True)
def retries(self, sku):
    try:
        push(sku)
    except Exception as exc:
        raise self.retry(exc=exc, countdown=5)


def not_a_task(sku):
    try:
        push(sku)
    except Exception:
        pass
