from celery import Task, shared_task

from proj.base import ProjectTask


@shared_task(bind=True)
def no_delay(self, sku):
    try:
        push(sku)
    except ConnectionError as exc:
        raise self.retry(exc=exc)


class Sync(Task):
    def run(self, sku):
        raise self.retry(max_retries=5)


# near misses
@shared_task(bind=True)
def with_countdown(self, sku):
    raise self.retry(countdown=2 ** self.request.retries)


@shared_task(bind=True)
def with_eta(self, sku, when):
    raise self.retry(eta=when)


@shared_task(bind=True, default_retry_delay=30)
def default_delay_set(self, sku):
    raise self.retry()


@shared_task(bind=True, base=ProjectTask)
def unreadable_base(self, sku):
    raise self.retry()


@shared_task(bind=True)
def spread(self, sku, **kw):
    raise self.retry(**kw)


def not_a_task(self):
    self.retry()
