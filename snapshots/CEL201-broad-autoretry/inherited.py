from celery import Task, shared_task


class BaseTask(Task):
    autoretry_for = (Exception,)  # reported here, once


class Child(BaseTask):
    retry_backoff = True


@shared_task(base=Child)
def inherits(sku): ...  # not reported again
