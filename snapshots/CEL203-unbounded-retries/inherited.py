from celery import Task, shared_task


class Forever(Task):
    retry_kwargs = {"max_retries": None}  # reported here


@shared_task(base=Forever)
def inherits(sku): ...  # not again


@shared_task(base=Forever, max_retries=5)
def bounded_here(sku): ...
